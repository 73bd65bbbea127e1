// Runs, kills and reports tasks: RUN_TASK, KILL_TASK and SHUTDOWN_FRAMEWORK
// from the master become sandboxes, containers and executors, and every
// state change becomes an acknowledged status update.
import {
  FrameworkCapability,
  newId,
  Resources,
  TaskState,
  TaskStatusReason,
  TaskStatusSource,
  isTerminalState,
  taskStateName,
  type Clock,
  type IFrameworkInfo,
  type IKillPolicy,
  type ITaskInfo,
  type Logger,
} from '@mesocosm/protocol';
import { CommandExecutor } from '../executors/command.js';
import type { CustomExecutors } from '../executors/custom-executors.js';
import { DockerExecutor } from '../executors/docker.js';
import { dockerTaskProblem, isDockerTask } from '../docker/container-spec.js';
import type { DockerEngine } from '../docker/docker-engine.js';
import { recoverContainers } from '../docker/recovery.js';
import { taskEnvironment } from '../executors/environment.js';
import type { StatusChange, TaskExecutor } from '../executors/executor.js';
import type { ContainerLimits, Isolator } from '../isolation/isolator.js';
import { createSandbox, unsafeIdReason } from '../sandbox/sandbox-dirs.js';
import type { StatusUpdateManager } from '../status-updates/status-update-manager.js';
import { TaskBook, type TaskRecord } from './task-book.js';
import { unsupportedReason } from './task-kind.js';

/** What the task manager works with. */
export interface TaskManagerDeps {
  workDir: string;
  isolator: Isolator;
  statusUpdates: StatusUpdateManager;
  book: TaskBook;
  clock: Clock;
  logger: Logger;
  agentId: () => string;
  /** The address given to tasks as HOST. */
  host: string;
  defaultKillGracePeriodMs: number;
  /** The Docker engine of Docker tasks. */
  docker: DockerEngine;
  /** The custom executors (tasks with `executor` set). */
  customExecutors: CustomExecutors;
}

function key(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

/** Resource limits of a task's container. Pure. */
export function containerLimits(task: ITaskInfo): ContainerLimits {
  const r = Resources.fromProto(task.resources);
  const mem = r.scalar('mem');
  const cpus = r.scalar('cpus');
  return { ...(mem > 0 ? { memMb: mem } : {}), ...(cpus > 0 ? { cpus } : {}) };
}

/** See the file comment. */
export class TaskManager {
  private readonly executors = new Map<string, TaskExecutor>();

  constructor(private readonly deps: TaskManagerDeps) {}

  /** RUN_TASK. Never throws: every problem becomes a status update. */
  runTask(framework: IFrameworkInfo, task: ITaskInfo): void {
    const frameworkId = framework.id?.value ?? '';
    const taskId = task.taskId?.value ?? '';
    const invalid =
      unsafeIdReason('framework ID', frameworkId) ??
      unsafeIdReason('task ID', taskId) ??
      (this.deps.book.isActive(frameworkId, taskId)
        ? `task '${taskId}' is already running on this agent`
        : undefined) ??
      (isDockerTask(task) && !task.executor ? dockerTaskProblem(task) : undefined);
    if (invalid !== undefined) {
      this.deps.logger.warn('refusing task', { frameworkId, taskId, why: invalid });
      this.send(
        frameworkId,
        taskId,
        {
          state: TaskState.TASK_ERROR,
          reason: TaskStatusReason.REASON_TASK_INVALID,
          message: invalid,
        },
        TaskStatusSource.SOURCE_AGENT,
      );
      return;
    }
    const record = this.deps.book.add({ frameworkId, taskId, task, framework, containerId: newId('c') });
    const unsupported = unsupportedReason(task);
    if (unsupported !== undefined) {
      this.report(
        record,
        {
          state: TaskState.TASK_FAILED,
          reason: TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED,
          message: unsupported,
        },
        TaskStatusSource.SOURCE_AGENT,
      );
      return;
    }
    if (task.executor) {
      // A custom executor: started once per (framework, executor ID), reused by later tasks.
      const executor = this.deps.customExecutors.taskExecutor(record);
      this.track(record, executor);
      void executor.launch();
      return;
    }
    if (isDockerTask(task)) void this.launchDocker(record);
    else void this.launch(record);
  }

  private async launchDocker(record: TaskRecord): Promise<void> {
    this.report(record, { state: TaskState.TASK_STARTING });
    const executor = this.dockerExecutor(record);
    this.track(record, executor);
    await executor.launch();
  }

  private dockerExecutor(record: TaskRecord): DockerExecutor {
    const { deps } = this;
    return new DockerExecutor({
      record,
      engine: deps.docker,
      agentId: deps.agentId(),
      workDir: deps.workDir,
      host: deps.host,
      createSandbox: async () =>
        (record.directory = await createSandbox(deps.workDir, record.frameworkId, record.taskId)),
      clock: deps.clock,
      logger: deps.logger,
      report: (change) => this.report(record, change),
    });
  }

  /**
   * At start, before (re-)registering: takes over the Docker containers a
   * previous run of this agent left running (they are re-registered as its
   * tasks) and removes the orphans of its work dir.
   */
  async recoverDocker(): Promise<void> {
    const { deps } = this;
    const found = await recoverContainers(deps.docker, deps.workDir, deps.agentId() || undefined, deps.logger);
    for (const c of found) {
      const { frameworkId, taskId, task, framework, sandbox } = c.identity;
      if (this.deps.book.isActive(frameworkId, taskId)) continue;
      const record = deps.book.add({ frameworkId, taskId, task, framework, containerId: newId('c') });
      record.state = TaskState.TASK_RUNNING;
      record.directory = sandbox;
      deps.logger.info('re-attaching to a container', { taskId, container: c.name });
      const executor = this.dockerExecutor(record);
      this.track(record, executor);
      executor.reattach(c.id, c.name, sandbox);
    }
  }

  private track(record: TaskRecord, executor: TaskExecutor): void {
    const k = key(record.frameworkId, record.taskId);
    this.executors.set(k, executor);
    void executor.done.then(() => {
      if (this.executors.get(k) === executor) this.executors.delete(k);
    });
  }

  private async launch(record: TaskRecord): Promise<void> {
    const { deps } = this;
    this.report(record, { state: TaskState.TASK_STARTING });
    let executor: TaskExecutor;
    try {
      const sandbox = await createSandbox(deps.workDir, record.frameworkId, record.taskId);
      record.directory = sandbox;
      const container = await deps.isolator.prepare(record.containerId, containerLimits(record.task));
      if (record.killRequested) {
        await container.cleanup();
        this.report(record, {
          state: TaskState.TASK_KILLED,
          reason: TaskStatusReason.REASON_TASK_KILLED_DURING_LAUNCH,
          message: 'Killed before it was started',
        });
        return;
      }
      const env = taskEnvironment({
        base: process.env,
        task: record.task,
        frameworkId: record.frameworkId,
        agentId: deps.agentId(),
        sandbox,
        host: deps.host,
      });
      executor = new CommandExecutor({
        record,
        sandbox,
        env,
        container,
        clock: deps.clock,
        logger: deps.logger,
        report: (change) => this.report(record, change),
      });
    } catch (err) {
      deps.logger.error('cannot prepare the task', { taskId: record.taskId, error: String(err) });
      this.report(
        record,
        {
          state: TaskState.TASK_FAILED,
          reason: TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED,
          message: `Cannot prepare the task's sandbox or container: ${err instanceof Error ? err.message : String(err)}`,
        },
        TaskStatusSource.SOURCE_AGENT,
      );
      return;
    }
    this.track(record, executor);
    await executor.launch();
  }

  /** KILL_TASK: SIGTERM, SIGKILL after the grace period (`policy`, else the task's, else the default). */
  killTask(frameworkId: string, taskId: string, policy?: IKillPolicy | null): void {
    const record = this.deps.book.get(frameworkId, taskId);
    if (!record || isTerminalState(record.state)) {
      this.deps.logger.warn('ignoring kill of a task that is not running here', { frameworkId, taskId });
      return;
    }
    const chosen = policy ?? record.task.killPolicy ?? undefined;
    const graceMs = chosen ? (chosen.gracePeriodSeconds ?? 0) * 1000 : this.deps.defaultKillGracePeriodMs;
    this.deps.logger.info('killing task', { frameworkId, taskId, graceMs });
    const wasRequested = record.killRequested;
    record.killRequested = true;
    const capabilities = record.framework.capabilities ?? [];
    // TASK_KILLING only for frameworks that said they understand it, as Mesos.
    if (
      !wasRequested &&
      record.state === TaskState.TASK_RUNNING &&
      capabilities.includes(FrameworkCapability.TASK_KILLING_STATE)
    )
      this.report(record, { state: TaskState.TASK_KILLING });
    this.executors.get(key(frameworkId, taskId))?.kill(graceMs);
  }

  /** SHUTDOWN_FRAMEWORK: kills every task of the framework. */
  shutdownFramework(frameworkId: string): void {
    for (const t of this.deps.book.ofFramework(frameworkId)) this.killTask(frameworkId, t.taskId);
  }

  /** Agent stopping: kill every task and wait for them, or leave them running. */
  async stop(killTasks: boolean): Promise<void> {
    const all = [...this.executors.entries()];
    if (!killTasks) {
      for (const [, e] of all) e.detach();
      return;
    }
    for (const t of this.deps.book.active()) this.killTask(t.frameworkId, t.taskId);
    await Promise.all(all.map(([, e]) => e.done));
  }

  private report(record: TaskRecord, change: StatusChange, source = TaskStatusSource.SOURCE_EXECUTOR): void {
    if (isTerminalState(record.state)) {
      this.deps.logger.warn('dropping a status change after a terminal state', {
        taskId: record.taskId,
        state: taskStateName(change.state),
      });
      return;
    }
    record.state = change.state;
    this.send(record.frameworkId, record.taskId, change, source);
  }

  private send(frameworkId: string, taskId: string, change: StatusChange, source: TaskStatusSource): void {
    const agentId = this.deps.agentId();
    this.deps.logger.info('status update', {
      frameworkId,
      taskId,
      state: taskStateName(change.state),
      ...(change.message ? { message: change.message } : {}),
    });
    this.deps.statusUpdates.update(frameworkId, {
      taskId: { value: taskId },
      state: change.state,
      message: change.message ?? '',
      reason: change.reason ?? TaskStatusReason.REASON_NONE,
      source,
      agentId: { value: agentId },
      executorId: { value: taskId },
    });
  }
}
