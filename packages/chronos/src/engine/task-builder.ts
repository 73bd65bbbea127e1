// The Mesos task of one attempt of a run, from the job's definition: the
// command (through the shell, or as argv), the environment Chronos gives its
// tasks, resources, a Docker container, the URIs to fetch and placement
// constraints. Pure.
import type {
  Constraint as SdkConstraint,
  ICommandInfo,
  IContainerInfo,
  IEnvironment,
  WantedTask,
} from '@mesocosm/framework-sdk';
import { ContainerType, DockerNetwork, VolumeMode } from '@mesocosm/framework-sdk';
import type { Constraint, ContainerSpec, JobDefinition } from '../model/job-definition.js';

/** The run attempt a task is built for. */
export interface TaskAttempt {
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly scheduledTime: number;
  /** Manual runs: appended to the command (shell) or to the arguments. */
  readonly args?: readonly string[];
}

const DOCKER = ContainerType.DOCKER;
const NETWORK = DockerNetwork;
const MODE = VolumeMode;

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The environment Chronos gives a task (its names), then the job's own variables. */
export function taskEnvironment(job: JobDefinition, attempt: TaskAttempt, host?: string): IEnvironment {
  const vars: Array<[string, string]> = [
    ['mesos_task_id', attempt.taskId],
    ['CHRONOS_JOB_OWNER', job.owner],
    ['CHRONOS_JOB_NAME', job.name],
    ['CHRONOS_JOB_RUN_ID', attempt.runId],
    ['CHRONOS_JOB_RUN_ATTEMPT', String(attempt.attempt)],
    ['CHRONOS_JOB_SCHEDULED_TIME', new Date(attempt.scheduledTime).toISOString()],
    ['CHRONOS_RESOURCE_CPU', String(job.cpus)],
    ['CHRONOS_RESOURCE_MEM', String(job.mem)],
    ['CHRONOS_RESOURCE_DISK', String(job.disk)],
  ];
  if (host !== undefined) vars.push(['HOST', host]);
  for (const v of job.environmentVariables) vars.push([v.name, v.value]);
  return { variables: vars.map(([name, value]) => ({ name, value })) };
}

/** The command of a task: `/bin/sh -c` with arguments appended, or argv. */
export function taskCommand(job: JobDefinition, attempt: TaskAttempt): ICommandInfo {
  const args = attempt.args ?? [];
  const uris = [
    ...job.fetch.map((f) => ({
      value: f.uri,
      executable: f.executable,
      extract: f.extract,
      cache: f.cache,
      ...(f.outputFile === undefined ? {} : { outputFile: f.outputFile }),
    })),
    // Chronos' deprecated `uris`: fetched and extracted, as Mesos' default.
    ...job.uris.map((uri) => ({ value: uri, extract: true })),
  ];
  const common = {
    uris,
    environment: taskEnvironment(job, attempt),
    ...(job.runAsUser === '' ? {} : { user: job.runAsUser }),
  };
  if (job.shell) {
    const value = [job.command, ...args.map(quote)].filter((s) => s !== '').join(' ');
    return { ...common, shell: true, value };
  }
  const argv = [...job.arguments, ...args];
  // Mesos' argv includes argv[0]; in a container without a command the image's entrypoint gets the arguments.
  return job.command === ''
    ? { ...common, shell: false, arguments: argv }
    : { ...common, shell: false, value: job.command, arguments: [job.command, ...argv] };
}

/** A Docker container in the wire shape (`USER` networking has no equivalent: bridge; `parameters` are not passed). */
export function taskContainer(spec: ContainerSpec): IContainerInfo {
  return {
    type: DOCKER,
    volumes: spec.volumes.map((v) => ({
      containerPath: v.containerPath,
      ...(v.hostPath === undefined ? {} : { hostPath: v.hostPath }),
      mode: MODE[v.mode],
    })),
    docker: {
      image: spec.image,
      network: spec.network === 'USER' ? NETWORK.BRIDGE : NETWORK[spec.network],
      forcePullImage: spec.forcePullImage,
    },
  };
}

/** Chronos' constraints as the SDK's: EQUALS is Marathon's `CLUSTER value`; LIKE and UNLIKE are the same. */
export function taskConstraints(constraints: readonly Constraint[]): SdkConstraint[] {
  return constraints.map((c) => ({
    field: c.attribute,
    operator: c.operator === 'EQUALS' ? 'CLUSTER' : c.operator,
    value: c.value,
  }));
}

/**
 * The task of one attempt of a run, for the SDK's Scheduler. `HOST` is set
 * once the offer is known.
 *
 * @example
 * ```ts
 * scheduler.want(runId, buildTask(job, { runId, taskId: taskIdFor(runId, 0), attempt: 0, scheduledTime }));
 * ```
 */
export function buildTask(job: JobDefinition, attempt: TaskAttempt): WantedTask {
  const command = taskCommand(job, attempt);
  return {
    taskId: attempt.taskId,
    name: `ChronosTask:${job.name}`,
    resources: `cpus:${job.cpus};mem:${job.mem};disk:${job.disk}`,
    command,
    ...(job.container === null || job.container.type !== 'DOCKER' ? {} : { container: taskContainer(job.container) }),
    constraints: taskConstraints(job.constraints),
    group: job.name,
    labels: {
      labels: [
        { key: 'chronos.job', value: job.name },
        { key: 'chronos.run', value: attempt.runId },
      ],
    },
    build: ({ offer, task }) => ({
      ...task,
      command: { ...task.command, environment: taskEnvironment(job, attempt, offer.hostname ?? undefined) },
    }),
  };
}
