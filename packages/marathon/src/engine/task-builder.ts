// An AppDefinition → the SDK's WantedTask for one instance: resources, host
// ports, command (shell for `cmd`, argv for `args`), Marathon's environment,
// Docker container with port mappings, volumes, labels, fetch URIs, the
// first health check as the agent's HealthCheck (agents run checks; Marathon
// never probes) and the kill grace period. The host ports are only known once
// an offer is matched, so env, port mappings and the check's port are filled
// in `build`.

import {
  ContainerInfoType,
  DockerNetwork,
  HealthCheckType,
  VolumeMode,
  portsOf,
  Resources,
  type ICommandInfo,
  type IContainerInfo,
  type IHealthCheck,
  type IOffer,
  type ITaskInfo,
  type WantedTask,
} from './sdk-types.js';
import type { AppDefinition, HealthCheck } from '../model/app-definition.js';

/** Host ports of a task, in the app's order: 0 = any port from the offer, else that port. */
export function hostPortSlots(app: AppDefinition): number[] {
  if (app.network === 'HOST') return app.portDefinitions.map((d) => (app.requirePorts ? d.port : 0));
  return (app.container?.portMappings ?? []).flatMap((m) => (m.hostPort === undefined ? [] : [m.hostPort]));
}

function resourcesOf(app: AppDefinition, fixedPorts: readonly number[]): string {
  const parts = [`cpus:${app.cpus}`, `mem:${app.mem}`];
  if (app.disk > 0) parts.push(`disk:${app.disk}`);
  if (fixedPorts.length > 0) parts.push(`ports:[${fixedPorts.map((p) => `${p}-${p}`).join(',')}]`);
  return parts.join(';');
}

function commandOf(app: AppDefinition): ICommandInfo {
  const uris = app.fetch.map((f) => ({
    value: f.uri,
    executable: f.executable,
    extract: f.extract,
    cache: f.cache,
    ...(f.outputFile === undefined ? {} : { outputFile: f.outputFile }),
  }));
  const base: ICommandInfo = { uris, ...(app.user === undefined ? {} : { user: app.user }) };
  if (app.cmd !== undefined) return { ...base, shell: true, value: app.cmd };
  const args = app.args ?? [];
  // Docker: the arguments go to the image's entrypoint. Otherwise argv[0] is the program.
  if (app.container?.type === 'DOCKER') return { ...base, shell: false, arguments: [...args] };
  return { ...base, shell: false, ...(args[0] === undefined ? {} : { value: args[0] }), arguments: [...args] };
}

function containerOf(app: AppDefinition, hostPorts: readonly number[]): IContainerInfo | undefined {
  const c = app.container;
  if (c === undefined) return undefined;
  const volumes = c.volumes
    .filter((v) => v.hostPath !== undefined)
    .map((v) => ({
      containerPath: v.containerPath,
      hostPath: v.hostPath,
      mode: v.mode === 'RO' ? VolumeMode.RO : VolumeMode.RW,
    }));
  if (c.docker === undefined) return { type: ContainerInfoType.MESOS, volumes };
  let slot = 0;
  const portMappings = c.portMappings.flatMap((m) => {
    if (m.hostPort === undefined) return [];
    const hostPort = hostPorts[slot++] ?? m.hostPort;
    return [{ hostPort, containerPort: m.containerPort === 0 ? hostPort : m.containerPort, protocol: m.protocol }];
  });
  const network =
    app.network === 'HOST' ? DockerNetwork.HOST : app.network === 'BRIDGE' ? DockerNetwork.BRIDGE : DockerNetwork.NONE;
  return {
    type: c.type === 'DOCKER' ? ContainerInfoType.DOCKER : ContainerInfoType.MESOS,
    volumes,
    docker: { image: c.docker.image, network, portMappings, forcePullImage: c.docker.forcePullImage },
  };
}

/** The agent's HealthCheck for Marathon's `h`; undefined when its port cannot be resolved. */
export function healthCheckOf(
  h: HealthCheck,
  hostPorts: readonly number[],
  env: ICommandInfo['environment'],
): IHealthCheck | undefined {
  const common = {
    // Marathon's own checks start at once; MESOS_* ones wait delaySeconds, as in Mesos.
    delaySeconds: h.protocol.startsWith('MESOS_') ? h.delaySeconds : 0,
    intervalSeconds: h.intervalSeconds,
    timeoutSeconds: h.timeoutSeconds,
    gracePeriodSeconds: h.gracePeriodSeconds,
    // The agent only reports; Marathon kills unhealthy tasks itself, rate-limited.
    consecutiveFailures: 0,
  };
  if (h.protocol === 'COMMAND') {
    return {
      ...common,
      type: HealthCheckType.COMMAND,
      command: { shell: true, value: h.command?.value ?? '', environment: env },
    };
  }
  const port = h.port ?? hostPorts[h.portIndex ?? 0];
  if (port === undefined || port === 0) return undefined;
  if (h.protocol === 'TCP' || h.protocol === 'MESOS_TCP')
    return { ...common, type: HealthCheckType.TCP, tcp: { port } };
  const scheme = h.protocol === 'HTTPS' || h.protocol === 'MESOS_HTTPS' ? 'https' : 'http';
  return { ...common, type: HealthCheckType.HTTP, http: { scheme, port, path: h.path ?? '/' } };
}

/** Marathon's task environment. */
export function taskEnvironment(
  app: AppDefinition,
  taskId: string,
  host: string,
  hostPorts: readonly number[],
): { name: string; value: string }[] {
  const vars = new Map<string, string>();
  hostPorts.forEach((p, i) => vars.set(`PORT${i}`, String(p)));
  if (hostPorts[0] !== undefined) vars.set('PORT', String(hostPorts[0]));
  vars.set('PORTS', hostPorts.join(','));
  const names =
    app.network === 'HOST'
      ? app.portDefinitions.map((d) => d.name)
      : (app.container?.portMappings ?? []).map((m) => m.name);
  names.forEach((name, i) => {
    const p = hostPorts[i];
    if (name !== undefined && p !== undefined)
      vars.set(`PORT_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`, String(p));
  });
  vars.set('MARATHON_APP_ID', app.id);
  vars.set('MARATHON_APP_VERSION', app.version ?? '');
  vars.set('MESOS_TASK_ID', taskId);
  vars.set('HOST', host);
  for (const [k, v] of Object.entries(app.labels)) {
    const name = `MARATHON_APP_LABEL_${k.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
    if (name.length < 512 && v.length < 512) vars.set(name, v);
  }
  for (const [k, v] of Object.entries(app.env)) vars.set(k, v);
  return [...vars].map(([name, value]) => ({ name, value }));
}

/** The host ports a matched task got, in the app's slot order. */
export function assignedPorts(slots: readonly number[], picked: readonly number[]): number[] {
  const dynamic = picked.filter((p) => !slots.includes(p));
  let next = 0;
  return slots.map((s) => (s !== 0 ? s : (dynamic[next++] ?? 0)));
}

/** The WantedTask for instance `taskId` of `app`. `onBuilt` learns the host ports and TaskInfo. */
export function wantedTask(app: AppDefinition, taskId: string): WantedTask {
  const slots = hostPortSlots(app);
  const fixed = slots.filter((p) => p !== 0);
  const dynamic = slots.length - fixed.length;
  const labels = { labels: Object.entries(app.labels).map(([key, value]) => ({ key, value })) };
  return {
    taskId,
    name: taskId.slice(0, taskId.lastIndexOf('.')),
    resources: resourcesOf(app, fixed),
    ...(dynamic > 0 ? { ports: dynamic } : {}),
    constraints: app.constraints.map((c) => ({ ...c })),
    labels,
    ...(app.taskKillGracePeriodSeconds === undefined
      ? {}
      : { killPolicy: { gracePeriodSeconds: app.taskKillGracePeriodSeconds } }),
    ...(app.acceptedResourceRoles === undefined ? {} : { roles: [...app.acceptedResourceRoles] }),
    build: ({ offer, task }) => buildTaskInfo(app, taskId, offer, task, slots),
  };
}

function buildTaskInfo(
  app: AppDefinition,
  taskId: string,
  offer: IOffer,
  task: ITaskInfo,
  slots: readonly number[],
): ITaskInfo {
  const picked = portsOf(Resources.fromProto(task.resources ?? []));
  const hostPorts = assignedPorts(slots, picked);
  const environment = { variables: taskEnvironment(app, taskId, offer.hostname ?? '', hostPorts) };
  const out: ITaskInfo = { ...task, command: { ...commandOf(app), environment }, labels: task.labels ?? null };
  const container = containerOf(app, hostPorts);
  if (container) out.container = container;
  const first = app.healthChecks[0];
  const check = first && healthCheckOf(first, hostPorts, environment);
  if (check) out.healthCheck = check;
  return out;
}
