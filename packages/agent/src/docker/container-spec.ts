// From a TaskInfo with a Docker ContainerInfo to what the agent checks and
// what it asks the Docker engine to create. Pure.
import { Resources, v1, type ICommandInfo, type IFrameworkInfo, type ITaskInfo } from '@mesocosm/protocol';
import type { ContainerCreateOptions } from 'dockerode';
import { taskEnvironment } from '../executors/environment.js';
import { containerLabels, containerName } from './container-labels.js';
import { imageReferenceProblem } from './image-reference.js';
import { dockerPorts, portMappingsProblem } from './port-mappings.js';
import { CONTAINER_SANDBOX, dockerVolumes, volumeProblem } from './volumes.js';

const Network = v1.ContainerInfo.DockerInfo.Network;
const MB = 1024 * 1024;

/** True when the task asks for a Docker container. */
export function isDockerTask(task: ITaskInfo): boolean {
  const c = task.container;
  return !!c && (c.type === v1.ContainerInfo.Type.DOCKER || !!c.docker);
}

/**
 * Why this Docker task cannot be run as given (bad image reference, host
 * port outside its ports, relative or escaping volume path, ...), or
 * undefined. Checked before anything is created.
 */
export function dockerTaskProblem(task: ITaskInfo): string | undefined {
  const container = task.container ?? {};
  const docker = container.docker;
  if (!docker) return 'a DOCKER container needs docker.image';
  const image = imageReferenceProblem(docker.image ?? '');
  if (image !== undefined) return image;
  const network = docker.network ?? Network.HOST;
  if (!Object.values(Network).includes(network)) return `network ${network} is not HOST, BRIDGE or NONE`;
  if (container.hostname && network === Network.HOST)
    return 'a container hostname cannot be set with HOST networking (it shares the host name)';
  const ports = portMappingsProblem(
    docker.portMappings ?? [],
    network,
    Resources.fromProto(task.resources).ranges('ports'),
  );
  if (ports !== undefined) return ports;
  const volumes = container.volumes ?? [];
  for (const [i, v] of volumes.entries()) {
    const problem = volumeProblem(v, i);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Entrypoint and Cmd from a CommandInfo; the image's own when there is no command. */
export function dockerCommand(command: ICommandInfo | null | undefined): { Entrypoint?: string[]; Cmd?: string[] } {
  const value = command?.value ?? '';
  const args = command?.arguments ?? [];
  if (value === '' && args.length === 0) return {};
  // Shell form, as the command executor: /bin/sh -c value.
  if (command?.shell || args.length === 0) return { Entrypoint: ['/bin/sh', '-c'], Cmd: [value] };
  // Argv form with a program: it is the entrypoint, arguments its argv (argv[0] first).
  if (value !== '') return { Entrypoint: [value], Cmd: args.slice(1) };
  // Arguments alone (Marathon's `args`): passed to the image's entrypoint.
  return { Cmd: [...args] };
}

/** What the create options are built from. */
export interface ContainerSpecInput {
  readonly task: ITaskInfo;
  readonly framework: IFrameworkInfo;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly workDir: string;
  /** The sandbox on the host (mounted at {@link CONTAINER_SANDBOX}). */
  readonly sandbox: string;
  /** The sandbox's run directory name, e.g. `run-1`. */
  readonly run: string;
  /** The agent's advertised address (HOST). */
  readonly host: string;
  /** The host user the container runs as (`--switch_user`), by uid and gid; the image's user when undefined. */
  readonly user?: { readonly uid: number; readonly gid: number };
}

/** The container's resource limits: memory without swap, cpu shares and a cpu quota. */
export function dockerLimits(task: ITaskInfo): {
  Memory?: number;
  MemorySwap?: number;
  CpuShares?: number;
  NanoCpus?: number;
} {
  const r = Resources.fromProto(task.resources);
  const mem = r.scalar('mem');
  const cpus = r.scalar('cpus');
  return {
    ...(mem > 0 ? { Memory: Math.round(mem * MB), MemorySwap: Math.round(mem * MB) } : {}),
    ...(cpus > 0 ? { CpuShares: Math.max(2, Math.round(1024 * cpus)), NanoCpus: Math.round(cpus * 1e9) } : {}),
  };
}

/** The create options of a valid Docker task (see {@link dockerTaskProblem}). */
export function containerSpec(input: ContainerSpecInput): ContainerCreateOptions & { name: string } {
  const { task } = input;
  const container = task.container ?? {};
  const docker = container.docker ?? {};
  const network = docker.network ?? Network.HOST;
  const env = taskEnvironment({
    base: {},
    task,
    frameworkId: input.frameworkId,
    agentId: input.agentId,
    sandbox: CONTAINER_SANDBOX,
    host: input.host,
  });
  const { binds, anonymous } = dockerVolumes(container.volumes ?? [], input.sandbox);
  const ports = dockerPorts(network === Network.BRIDGE ? (docker.portMappings ?? []) : []);
  const name = containerName(input.agentId, input.task.taskId?.value ?? '', input.run);
  return {
    name,
    Image: docker.image ?? '',
    ...dockerCommand(task.command),
    Env: Object.entries({ ...env, MESOS_CONTAINER_NAME: name }).map(([k, v]) => `${k}=${v}`),
    Labels: containerLabels({
      agentId: input.agentId,
      frameworkId: input.frameworkId,
      taskId: task.taskId?.value ?? '',
      workDir: input.workDir,
      sandbox: input.sandbox,
      task,
      framework: input.framework,
    }),
    WorkingDir: CONTAINER_SANDBOX,
    ...(input.user ? { User: `${input.user.uid}:${input.user.gid}` } : {}),
    ...(container.hostname ? { Hostname: container.hostname } : {}),
    ...(Object.keys(anonymous).length > 0 ? { Volumes: anonymous } : {}),
    ...(Object.keys(ports.exposed).length > 0 ? { ExposedPorts: ports.exposed } : {}),
    HostConfig: {
      Binds: binds,
      NetworkMode: network === Network.BRIDGE ? 'bridge' : network === Network.NONE ? 'none' : 'host',
      ...(Object.keys(ports.bindings).length > 0 ? { PortBindings: ports.bindings } : {}),
      ...dockerLimits(task),
    },
  };
}
