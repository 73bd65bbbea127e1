// Runs, kills and reports tasks: RUN_TASK, KILL_TASK and SHUTDOWN_FRAMEWORK
// from the master become sandboxes, containers and executors, and every
// state change becomes an acknowledged status update.
import {
  FrameworkCapability,
  newId,
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
import { exitStatusFile, type TaskCheckpoint } from '../checkpoint/task-checkpoint.js';
import type { TaskCheckpointer } from '../checkpoint/task-checkpointer.js';
import { CommandExecutor } from '../executors/command.js';
import type { CustomExecutors } from '../executors/custom-executors.js';
import { DockerExecutor } from '../executors/docker.js';
import { dockerTaskProblem, isDockerTask } from '../docker/container-spec.js';
import type { DockerEngine } from '../docker/docker-engine.js';
import { recoverContainers } from '../docker/recovery.js';
import { taskEnvironment } from '../executors/environment.js';
import { requestedUser, switchedUser } from '../executors/run-as-user.js';
import type { StatusChange, TaskExecutor } from '../executors/executor.js';
import { fetchProblem } from '../fetcher/fetch-plan.js';
import type { Fetcher } from '../fetcher/fetcher.js';
import { healthCheckProblem } from '../health/health-spec.js';
import { TaskHealthChecks } from '../health/task-health.js';
import type { Isolator } from '../isolation/isolator.js';
import { createSandbox, unsafeIdReason } from '../sandbox/sandbox-dirs.js';
import type { StatusUpdateManager } from '../status-updates/status-update-manager.js';
import { TaskBook, type TaskRecord } from './task-book.js';
import { unsupportedReason } from './task-kind.js';
import { containerLimits } from './container-limits.js';
import { recoverCommandTasks } from './recover-command-tasks.js';
import { recoverCustomExecutors } from './recover-custom-executors.js';
import type { ExecutorCheckpoint } from '../checkpoint/executor-checkpoint.js';

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
  /** Fetches CommandInfo URIs into sandboxes. */
  fetcher: Fetcher;
  /** Checkpoints command tasks on each state change. */
  checkpointer: TaskCheckpointer;
  /** Run tasks as their user when the agent is root (`--switch_user`); default true. */
  switchUser?: boolean;
}

/** A status change, with the task's health when it is known. */
type HealthStatusChange = StatusChange & { readonly healthy?: boolean };

function key(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

/** See the file comment. */
export class TaskManager {
  private readonly executors = new Map<string, TaskExecutor>();
  private readonly health: TaskHealthChecks;

  constructor(private readonly deps: TaskManagerDeps) {
    this.health = new TaskHealthChecks({
      runAs: (record) => this.runAs(record).runAs,
      clock: deps.clock,
      logger: deps.logger.child('health'),
      host: deps.host,
      agentId: deps.agentId,
      docker: deps.docker,
      onChange: (record, healthy, message) =>
        this.report(record, {
          state: record.state,
          reason: TaskStatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED,
          message,
          healthy,
        }),
      onKill: (record) => this.killTask(record.frameworkId, record.taskId),
    });
  }

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
      (isDockerTask(task) && !task.executor ? dockerTaskProblem(task) : undefined) ??
      fetchProblem(task.executor ? task.executor.command?.uris : task.command?.uris) ??
      (task.executor ? undefined : healthCheckProblem(task.healthCheck));
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
      ...this.runAs(record),
      createSandbox: async () => {
        const sandbox = (record.directory = await createSandbox(deps.workDir, record.frameworkId, record.taskId));
        // On failure TASK_FAILED is reported here; the executor's own failure report is then dropped.
        const failure = await this.fetchInto(record, sandbox);
        if (failure) throw failure;
        return sandbox;
      },
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
      this.health.start(record);
    }
  }

  /**
   * At start, before (re-)registering: takes over the command tasks a
   * previous run checkpointed (see tasks/recover-command-tasks.ts).
   */
  async recoverCommandTasks(checkpoints: readonly TaskCheckpoint[]): Promise<void> {
    await recoverCommandTasks(checkpoints, {
      ...this.deps,
      report: (record, change, source) => this.report(record, change, source),
      adopt: (record, executor) => {
        this.track(record, executor);
        if (record.state === TaskState.TASK_RUNNING) this.health.start(record);
      },
    });
  }

  /**
   * At start, before the executor API serves and before (re-)registering:
   * takes over the custom executors a previous run checkpointed (see
   * tasks/recover-custom-executors.ts). Synchronous.
   */
  recoverCustomExecutors(checkpoints: readonly ExecutorCheckpoint[]): void {
    recoverCustomExecutors(checkpoints, { ...this.deps, adopt: (record, executor) => this.track(record, executor) });
  }

  /** Fetches the task's URIs into its sandbox; on failure reports TASK_FAILED (REASON_FETCHER_FAILED) and returns the error. */
  private async fetchInto(record: TaskRecord, sandbox: string): Promise<Error | undefined> {
    try {
      await this.deps.fetcher.fetchAll(sandbox, record.task.command?.uris);
      return undefined;
    } catch (err) {
      // FetchFailedError names the URI and the cause.
      const failure = err instanceof Error ? err : new Error(String(err));
      this.deps.logger.warn('fetch failed', { taskId: record.taskId, error: failure.message });
      this.report(
        record,
        { state: TaskState.TASK_FAILED, reason: TaskStatusReason.REASON_FETCHER_FAILED, message: failure.message },
        TaskStatusSource.SOURCE_AGENT,
      );
      return failure;
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
      if (await this.fetchInto(record, sandbox)) return;
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
        exitStatusFile: exitStatusFile(deps.workDir, record.frameworkId, record.taskId),
        ...this.runAs(record),
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

  /** With `--switch_user` on an agent running as root: the user a task asks for, unless it is root. */
  private runAs(record: TaskRecord): { runAs?: string } {
    const requested = requestedUser(record.task, record.framework);
    const user = switchedUser(this.deps.switchUser ?? true, process.getuid?.(), requested);
    return user === undefined ? {} : { runAs: user };
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
    this.health.stop(record);
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
    this.health.stopAll();
    if (!killTasks) {
      for (const [, e] of all) e.detach();
      return;
    }
    for (const t of this.deps.book.active()) this.killTask(t.frameworkId, t.taskId);
    await Promise.all(all.map(([, e]) => e.done));
  }

  private report(record: TaskRecord, change: HealthStatusChange, source = TaskStatusSource.SOURCE_EXECUTOR): void {
    if (isTerminalState(record.state)) {
      this.deps.logger.warn('dropping a status change after a terminal state', {
        taskId: record.taskId,
        state: taskStateName(change.state),
      });
      return;
    }
    record.state = change.state;
    this.deps.checkpointer.save(record);
    this.send(record.frameworkId, record.taskId, this.withHealth(record, change), source);
    if (change.state === TaskState.TASK_RUNNING) this.health.start(record);
  }

  /** Once a task's health is known every update carries it; a task its check killed says so. */
  private withHealth(record: TaskRecord, change: HealthStatusChange): HealthStatusChange {
    const terminal = isTerminalState(change.state);
    if (terminal) this.health.stop(record);
    const killedFor = terminal ? this.health.killReason(record) : undefined;
    if (killedFor !== undefined)
      return {
        ...change,
        healthy: false,
        reason: TaskStatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED,
        message: change.message ? `${killedFor}; ${change.message}` : killedFor,
      };
    const healthy = change.healthy ?? this.health.healthOf(record);
    return healthy === undefined ? change : { ...change, healthy };
  }

  private send(frameworkId: string, taskId: string, change: HealthStatusChange, source: TaskStatusSource): void {
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
      ...(change.healthy === undefined ? {} : { hasHealthy: true, healthy: change.healthy }),
    });
  }
}
