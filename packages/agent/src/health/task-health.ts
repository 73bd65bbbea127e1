// Health checks of the agent's tasks (command and Docker; a custom executor
// checks its own tasks, as in Mesos): one monitor per running task, with the
// probe its check and its kind call for. Checks run from the agent, next to
// the task: HTTP and TCP against 127.0.0.1 (as Mesos), at the host port of a
// Docker BRIDGE mapping when the check names its container port.
import { v1, type Clock, type ITaskInfo, type Logger } from '@mesocosm/protocol';
import { isDockerTask } from '../docker/container-spec.js';
import type { DockerEngine } from '../docker/docker-engine.js';
import { dockerContainerOf } from '../docker/task-containers.js';
import { taskEnvironment } from '../executors/environment.js';
import type { TaskRecord } from '../tasks/task-book.js';
import { checkEnvironment, commandProbe } from './command-probe.js';
import { dockerExecProbe } from './docker-exec-probe.js';
import { HealthMonitor, type Probe } from './health-monitor.js';
import { healthSpec, type ProbeSpec } from './health-spec.js';
import { httpProbe, tcpProbe } from './network-probes.js';

/** Where HTTP and TCP checks connect. */
export const CHECK_HOST = '127.0.0.1';

/** What the health checks of the agent need. */
export interface TaskHealthDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The agent's advertised address (HOST in a COMMAND check's environment). */
  readonly host: string;
  readonly agentId: () => string;
  readonly docker: DockerEngine;
  /** The task's health changed: report it (with its current state). */
  readonly onChange: (record: TaskRecord, healthy: boolean, message: string) => void;
  /** The task failed its check too many times in a row: kill it. */
  readonly onKill: (record: TaskRecord, message: string) => void;
  /** The user a task runs as (`--switch_user`), undefined for the agent's own: its COMMAND checks run as it too. */
  readonly runAs?: (record: TaskRecord) => string | undefined;
}

/** The port to check: for a Docker BRIDGE task, the host port mapped to `port` when it is a container port. Pure. */
export function checkedPort(task: ITaskInfo, port: number): number {
  const docker = task.container?.docker;
  if (!docker || docker.network !== v1.ContainerInfo.DockerInfo.Network.BRIDGE) return port;
  const mapping = (docker.portMappings ?? []).find((m) => m.containerPort === port);
  return mapping?.hostPort || port;
}

/** See the file comment. */
export class TaskHealthChecks {
  private readonly monitors = new Map<TaskRecord, HealthMonitor>();
  private readonly killedFor = new WeakMap<TaskRecord, string>();
  private readonly last = new WeakMap<TaskRecord, boolean>();

  constructor(private readonly deps: TaskHealthDeps) {}

  /** Starts checking a task that runs now (no-op without a check, for custom executors, or when started already). */
  start(record: TaskRecord): void {
    const check = record.task.healthCheck;
    if (!check || record.task.executor || this.monitors.has(record)) return;
    const { logger } = this.deps;
    let monitor: HealthMonitor;
    try {
      const spec = healthSpec(check);
      const probe = this.probe(record, spec.probe);
      monitor = new HealthMonitor(spec, probe, this.deps.clock, {
        onChange: (healthy, why) => {
          this.last.set(record, healthy);
          logger.info(healthy ? 'task healthy' : 'task unhealthy', { taskId: record.taskId, ...(why ? { why } : {}) });
          this.deps.onChange(record, healthy, healthy ? 'Health check passed' : `Health check failed: ${why ?? ''}`);
        },
        onKill: (failures, why) => {
          this.monitors.delete(record);
          const message = `Killed for failing its health check ${failures} time${failures === 1 ? '' : 's'} in a row (last: ${why})`;
          this.killedFor.set(record, message);
          logger.warn('killing an unhealthy task', { taskId: record.taskId, failures, why });
          this.deps.onKill(record, message);
        },
      });
    } catch (err) {
      // Validated at RUN_TASK; only a task whose container vanished gets here.
      logger.warn('cannot health-check the task', { taskId: record.taskId, error: String(err) });
      return;
    }
    this.monitors.set(record, monitor);
    monitor.start();
  }

  /** Stops checking a task (it ended, or is being killed). */
  stop(record: TaskRecord): void {
    this.monitors.get(record)?.stop();
    this.monitors.delete(record);
  }

  /** Stops every check (agent stopping). */
  stopAll(): void {
    for (const m of this.monitors.values()) m.stop();
    this.monitors.clear();
  }

  /** The task's last reported health, if any was. */
  healthOf(record: TaskRecord): boolean | undefined {
    return this.last.get(record);
  }

  /** Why the task was killed, when its health check killed it. */
  killReason(record: TaskRecord): string | undefined {
    return this.killedFor.get(record);
  }

  private probe(record: TaskRecord, spec: ProbeSpec): Probe {
    const task = record.task;
    if (spec.type === 'http')
      return httpProbe(spec.scheme, CHECK_HOST, checkedPort(task, spec.port), spec.path, spec.statuses);
    if (spec.type === 'tcp') return tcpProbe(CHECK_HOST, checkedPort(task, spec.port));
    if (isDockerTask(task)) {
      const ref = dockerContainerOf(record);
      if (!ref) throw new Error('the task has no container yet');
      return dockerExecProbe(this.deps.docker.client.getContainer(ref.id), spec.command);
    }
    const sandbox = record.directory;
    if (sandbox === undefined) throw new Error('the task has no sandbox yet');
    const env = taskEnvironment({
      base: process.env,
      task,
      frameworkId: record.frameworkId,
      agentId: this.deps.agentId(),
      sandbox,
      host: this.deps.host,
    });
    return commandProbe(spec.command, sandbox, checkEnvironment(env, spec.command), this.deps.runAs?.(record));
  }
}
