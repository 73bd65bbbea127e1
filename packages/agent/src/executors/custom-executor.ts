// One custom executor process on this agent: the (framework, executor ID)
// pair from a task's ExecutorInfo. Started by its first task in its own
// sandbox, process group and container; its tasks are queued until it
// subscribes over the executor API, then LAUNCHed; its UPDATEs become the
// agent's status updates. When its last task has ended it gets SHUTDOWN;
// when it exits, the tasks it leaves behind fail. Each run is checkpointed
// (checkpoint/executor-checkpoint.ts) so that a restarted agent can take it
// over (`recover`): the executor subscribes again within the re-registration
// timeout and keeps its tasks, or it is killed and they fail.
import {
  ExecutorEventType,
  isTerminalState,
  TaskState,
  TaskStatusReason,
  TaskStatusSource,
  taskStateName,
  uuidToString,
  type ExecutorCall,
  type IExecutorInfo,
  type IFrameworkInfo,
  type ITaskStatus,
} from '@mesocosm/protocol';
import type { ExecutorCheckpoint } from '../checkpoint/executor-checkpoint.js';
import { processStartTime, sameProcessAlive } from '../checkpoint/process-identity.js';
import type { ExecutorSession, ExecutorStream } from '../executor-api/executor-registry.js';
import { FetchFailedError } from '../fetcher/fetch-errors.js';
import type { ContainerLimits, Termination } from '../isolation/isolator.js';
import type { TaskRecord } from '../tasks/task-book.js';
import { restoreCustomTask } from './custom-checkpoint.js';
import { CustomExecutorBase, killEvent, type CustomExecutorDeps } from './custom-executor-base.js';
import { executorLimits, launchExecutorProcess, type LaunchedExecutor } from './custom-launch.js';
import { orphanedTaskStatus, type ExecutorEnd } from './custom-status.js';
import { acknowledgedEvent, isSettled, newCustomTask, type CustomTask } from './custom-task.js';
import type { TaskExecutor } from './executor.js';
import { signalGroup, type SpawnedProcess } from './spawn-process.js';
import { watchProcess } from './watched-process.js';

export type { CustomExecutorDeps } from './custom-executor-base.js';

/** How often the pid of an executor taken over after a restart is looked at. */
const REATTACHED_POLL_MS = 200;

/** An executor gets at least this long to answer a KILL with a terminal update. */
const MIN_KILL_ANSWER_MS = 1_000;

/** See the file comment. */
export class CustomExecutor extends CustomExecutorBase {
  /** Taken over after an agent restart and not subscribed since: when. */
  private recoveredAt: number | undefined;

  constructor(
    deps: CustomExecutorDeps,
    frameworkId: string,
    executorId: string,
    info: IExecutorInfo,
    framework: IFrameworkInfo,
    /** The previous process of this executor ID, which must be gone first. */
    private readonly previous: Promise<void> = Promise.resolve(),
    containerId?: string,
  ) {
    super(deps, frameworkId, executorId, info, framework, containerId);
  }

  /** Adds a task; the returned handle launches, kills and waits for it. */
  addTask(record: TaskRecord): TaskExecutor {
    const task = newCustomTask(record);
    this.tasks.set(record.taskId, task);
    this.save();
    return this.handle(task, () => this.launchTask(task));
  }

  private handle(task: CustomTask, launch: () => Promise<void>): TaskExecutor {
    return {
      launch,
      kill: (graceMs) => this.killTask(task, graceMs),
      done: task.done,
      detach: () => this.detach(),
    };
  }

  /**
   * Takes over the run of checkpoint `c` after an agent restart, with its
   * tasks' `records`; returns their handles. A live process gets the
   * re-registration timeout to subscribe again; one that ended while the
   * agent was down has its unfinished tasks failed (REASON_EXECUTOR_TERMINATED).
   */
  recover(c: ExecutorCheckpoint, records: readonly TaskRecord[]): Map<string, TaskExecutor> {
    [this.started, this.recovered] = [true, true];
    [this.endpoint, this.limits, this.pidStartTime] = [c.endpoint, c.limits, c.pidStartTime];
    if (c.sandbox !== undefined) this.sandbox = c.sandbox;
    const handles = new Map<string, TaskExecutor>();
    for (const tc of c.tasks) {
      const record = records.find((r) => r.taskId === tc.taskId);
      if (!record) continue;
      const task = restoreCustomTask(record, tc, this.deps.pendingUpdates(this.frameworkId, tc.taskId));
      this.tasks.set(tc.taskId, task);
      handles.set(
        tc.taskId,
        this.handle(task, () => Promise.resolve()),
      );
    }
    const pid = c.pid;
    if (c.exited || pid === undefined || !sameProcessAlive(pid, c.pidStartTime)) {
      // Nothing of it can be found: its leftovers (group, cgroup) go.
      if (pid !== undefined && processStartTime(pid) === undefined) signalGroup(pid, 'SIGKILL');
      void this.deps.isolator
        .prepare(this.containerId, c.limits ?? {})
        .then((container) => container.cleanup())
        .catch(() => undefined);
      if (!c.exited) this.logger.warn('the executor is gone; its tasks fail', { pid });
      this.exit(
        pid === undefined
          ? {
              launchError: 'the agent restarted while launching it',
              launchReason: TaskStatusReason.REASON_AGENT_RESTARTED,
            }
          : { outOfSight: 'down' },
      );
      return handles;
    }
    this.recoveredAt = this.deps.clock.now();
    this.state = 'disconnected';
    this.proc = watchProcess(pid, c.pidStartTime, this.deps.clock, REATTACHED_POLL_MS);
    this.logger.info('waiting for the executor to subscribe again', {
      pid,
      timeoutMs: this.deps.reregistrationTimeoutMs,
    });
    this.armRegistrationTimer(this.deps.reregistrationTimeoutMs);
    void this.reattach(this.proc, c.limits ?? {});
    return handles;
  }

  private async reattach(proc: SpawnedProcess, limits: ContainerLimits): Promise<void> {
    try {
      this.container = await this.deps.isolator.prepare(this.containerId, limits);
    } catch (err) {
      this.logger.warn('cannot re-attach to the executor container', { error: String(err) });
    }
    if (this.detached) return this.container?.release();
    this.watchLimits(proc.pid);
    void proc.exited.then((t) => this.onExit(proc.pid, t));
  }

  /** SUBSCRIBE from the executor (first time or again): a session, or why not. */
  subscribe(call: ExecutorCall, stream: ExecutorStream): ExecutorSession | string {
    if (this.state === 'starting' || this.state === 'exited' || this.detached)
      return `executor '${this.executorId}' of framework '${this.frameworkId}' is not running on this agent`;
    const old = this.stream;
    this.stream = stream;
    old?.close();
    if (this.state !== 'shutting-down') this.state = 'subscribed';
    this.clearTimer();
    const recoveredAt = this.recoveredAt;
    this.recoveredAt = undefined;
    if (recoveredAt !== undefined)
      this.logger.info('executor re-subscribed after the agent restarted', {
        pid: this.proc?.pid,
        afterMs: this.deps.clock.now() - recoveredAt,
      });
    else this.logger.info(old ? 'executor subscribed again' : 'executor subscribed', { pid: this.proc?.pid });
    stream.send({
      type: ExecutorEventType.SUBSCRIBED,
      subscribed: { executorInfo: this.info, frameworkInfo: this.framework, agentInfo: this.deps.agentInfo() },
    });
    for (const status of call.subscribe?.unacknowledgedUpdates ?? []) this.onUpdate(status);
    const known = new Set((call.subscribe?.unacknowledgedTasks ?? []).map((t) => t.taskId?.value ?? ''));
    for (const task of this.tasks.values()) {
      if (isTerminalState(task.record.state)) continue;
      // A LAUNCH that may have been lost with the old stream is sent again.
      if (!task.launched || (!task.heardFrom && !known.has(task.record.taskId))) this.sendLaunch(task);
      // A KILL that the executor may not have received.
      if (task.record.killRequested) this.send(killEvent(task.record.taskId, task.killGraceMs));
    }
    for (const data of this.queuedMessages.splice(0)) this.send({ type: ExecutorEventType.MESSAGE, message: { data } });
    if (this.state === 'shutting-down') this.send({ type: ExecutorEventType.SHUTDOWN });
    else this.shutdownIfIdle();
    return {
      receive: (c) => this.receive(c, stream),
      closed: () => this.streamClosed(stream),
    };
  }

  /** Framework data for this executor (queued until it subscribes). */
  message(data: Uint8Array): void {
    if (this.state === 'subscribed') this.send({ type: ExecutorEventType.MESSAGE, message: { data } });
    else if (this.state === 'starting' || this.state === 'registering' || this.state === 'disconnected')
      this.queuedMessages.push(data);
    else this.logger.warn('dropping a framework message: the executor is shutting down');
  }

  /** The framework acknowledged an update: tell the executor if it was one of its own. */
  acknowledged(taskId: string, uuid: string): void {
    const task = this.tasks.get(taskId);
    if (task?.uuids.get(uuid) !== 'pending') return this.forgetIfSettled();
    task.uuids.set(uuid, 'acknowledged');
    this.save();
    this.send(acknowledgedEvent(taskId, Buffer.from(uuid, 'hex')));
    this.shutdownIfIdle();
    this.forgetIfSettled();
  }

  /** Agent stopping with its tasks killed: SHUTDOWN, then SIGKILL after the grace period. */
  async shutdown(): Promise<void> {
    this.terminate('the agent is stopping');
    await this.exited;
  }

  /** Agent stopping without killing: leave the process running, unwatched. */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.clearTimer();
    for (const t of this.tasks.values()) if (t.killTimer) this.deps.clock.clearTimeout(t.killTimer);
    this.container?.release();
    this.proc?.unref();
    this.stream?.close();
    for (const t of this.tasks.values()) t.resolveDone();
    this.release();
  }

  // ---- tasks ----------------------------------------------------------------------

  private async launchTask(task: CustomTask): Promise<void> {
    if (this.state === 'subscribed') this.sendLaunch(task);
    if (!this.started) {
      this.started = true;
      await this.start(task.record);
    } else if (this.sandbox) {
      task.record.directory = this.sandbox;
      if (this.proc) task.record.pid = this.proc.pid;
    }
  }

  private sendLaunch(task: CustomTask): void {
    task.launched = true;
    task.record.directory = this.sandbox;
    if (this.proc) task.record.pid = this.proc.pid;
    this.save();
    this.send({ type: ExecutorEventType.LAUNCH, launch: { task: task.record.task } });
  }

  private killTask(task: CustomTask, graceMs: number): void {
    if (isTerminalState(task.record.state) || this.detached) return;
    if (!task.launched) {
      this.report(task, {
        state: TaskState.TASK_KILLED,
        reason: TaskStatusReason.REASON_TASK_KILLED_DURING_LAUNCH,
        message: 'Killed before the executor started it',
      });
      this.shutdownIfIdle();
      return;
    }
    task.killGraceMs = graceMs;
    this.save();
    this.send(killEvent(task.record.taskId, graceMs));
    if (task.killTimer) return;
    const answerMs = Math.max(graceMs, MIN_KILL_ANSWER_MS);
    task.killTimer = this.deps.clock.setTimeout(() => {
      task.killTimer = undefined;
      if (isTerminalState(task.record.state)) return;
      this.logger.warn('the executor did not end a killed task in time: killing the executor', {
        taskId: task.record.taskId,
        afterMs: answerMs,
      });
      this.killProcess();
    }, answerMs);
  }

  // ---- calls from the executor --------------------------------------------------------

  private receive(call: ExecutorCall, stream: ExecutorStream): void {
    if (stream !== this.stream) return;
    if (call.update) this.onUpdate(call.update.status ?? {});
    else if (call.message)
      this.deps.frameworkMessage(this.frameworkId, this.executorId, call.message.data ?? new Uint8Array());
  }

  private onUpdate(status: ITaskStatus): void {
    const taskId = status.taskId?.value ?? '';
    const task = this.tasks.get(taskId);
    const error = (message: string): void => this.send({ type: ExecutorEventType.ERROR, error: { message } });
    if (!task) return error(`UPDATE for task '${taskId}', which is not a task of this executor: ignored`);
    const uuid = uuidToString(status.uuid);
    if (uuid === '') return error(`UPDATE for task '${taskId}' without a uuid: ignored`);
    const seen = task.uuids.get(uuid);
    if (seen !== undefined) {
      // A resend (after a reconnection or an agent restart): acknowledge it again if the framework already did.
      if (seen === 'acknowledged') this.send(acknowledgedEvent(taskId, status.uuid ?? new Uint8Array()));
      return;
    }
    task.heardFrom = true;
    task.uuids.set(uuid, 'pending');
    if (isTerminalState(task.record.state)) {
      this.logger.warn('dropping an update after a terminal state', { taskId, state: taskStateName(status.state) });
      task.uuids.set(uuid, 'acknowledged');
      this.save();
      this.send(acknowledgedEvent(taskId, status.uuid ?? new Uint8Array()));
      return;
    }
    task.record.state = status.state ?? TaskState.TASK_STAGING;
    this.logger.info('status update from the executor', { taskId, state: taskStateName(status.state) });
    this.deps.statusUpdate(
      this.frameworkId,
      {
        ...status,
        source: TaskStatusSource.SOURCE_EXECUTOR,
        agentId: { value: this.deps.agentId() },
        executorId: { value: this.executorId },
      },
      status.uuid ?? undefined,
    );
    this.save();
    if (isTerminalState(task.record.state)) {
      this.ended(task);
      this.shutdownIfIdle();
    }
  }

  private streamClosed(stream: ExecutorStream): void {
    if (stream !== this.stream) return;
    this.stream = undefined;
    if (this.state !== 'subscribed') return;
    this.logger.warn('the executor stream closed; waiting for it to subscribe again');
    this.state = 'disconnected';
    this.armRegistrationTimer(this.deps.registrationTimeoutMs);
  }

  // ---- the process ----------------------------------------------------------------------

  private async start(first: TaskRecord): Promise<void> {
    await this.previous;
    let launched: LaunchedExecutor | undefined;
    this.limits = executorLimits(this.info, first.task);
    try {
      launched = await launchExecutorProcess(
        this.deps,
        this.frameworkId,
        this.info,
        this.framework,
        this.limits,
        this.containerId,
        () => this.detached,
      );
    } catch (err) {
      this.logger.error('cannot launch the executor', { error: String(err) });
      this.exit({
        launchError: err instanceof Error ? err.message : String(err),
        ...(err instanceof FetchFailedError ? { launchReason: TaskStatusReason.REASON_FETCHER_FAILED } : {}),
      });
      return;
    }
    if (!launched) return;
    const { proc } = launched;
    [this.sandbox, this.container, this.proc] = [launched.sandbox, launched.container, proc];
    [this.endpoint, this.pidStartTime] = [launched.endpoint, processStartTime(proc.pid)];
    this.logger.info('executor started', { pid: proc.pid, sandbox: this.sandbox });
    for (const t of this.tasks.values()) {
      t.record.directory = this.sandbox;
      t.record.pid = proc.pid;
    }
    this.save();
    if (this.state === 'starting') this.state = 'registering';
    this.armRegistrationTimer(this.deps.registrationTimeoutMs);
    this.watchLimits(proc.pid);
    if (this.state === 'shutting-down') this.terminate('no tasks left');
    else this.shutdownIfIdle();
    void proc.exited.then((t) => this.onExit(proc.pid, t));
  }

  /**
   * No task left to run, nothing queued, and every update of the executor
   * acknowledged (so that it sees its ACKNOWLEDGED events): SHUTDOWN, or a
   * signal when it never subscribed.
   */
  private shutdownIfIdle(): void {
    if (this.accepting && [...this.tasks.values()].every(isSettled)) this.terminate('no tasks left');
  }

  private terminate(why: string): void {
    if (this.detached || this.state === 'exited') return;
    const wasSubscribed = this.state === 'subscribed';
    this.state = 'shutting-down';
    const pid = this.proc?.pid;
    if (pid === undefined) return; // still starting: start() terminates it once spawned
    this.logger.info('shutting the executor down', { why, graceMs: this.deps.shutdownGracePeriodMs });
    if (wasSubscribed) this.send({ type: ExecutorEventType.SHUTDOWN });
    else signalGroup(pid, 'SIGTERM');
    this.clearTimer();
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.logger.warn('the executor did not exit after SHUTDOWN: SIGKILL');
      this.killProcess();
    }, this.deps.shutdownGracePeriodMs);
  }

  private async onExit(pid: number, termination: Termination): Promise<void> {
    if (this.detached) return;
    // The executor is its process group: what it left behind goes with it.
    signalGroup(pid, 'SIGKILL');
    const limitation = this.limitation ?? (await this.container?.limitation(termination).catch(() => undefined));
    await this.container
      ?.cleanup()
      .catch((err: unknown) => this.logger.warn('cannot clean up the container', { error: String(err) }));
    this.logger.info('executor exited', { pid, code: termination.code, signal: termination.signal });
    const timedOut = this.registrationTimedOut;
    this.exit({
      termination,
      ...(limitation ? { limitation } : {}),
      ...(timedOut === undefined ? {} : { registrationTimeoutMs: timedOut, reregistration: this.recovered }),
      // A process taken over after a restart is not our child: how it ended is unknown.
      ...(this.recovered ? { outOfSight: 'unwatched' as const } : {}),
    });
  }

  private exit(end: ExecutorEnd): void {
    this.state = 'exited';
    this.clearTimer();
    const stream = this.stream;
    this.stream = undefined;
    stream?.close();
    for (const task of this.tasks.values())
      this.report(task, orphanedTaskStatus(end, task.record.killRequested, task.launched));
    this.save();
    this.resolveExited();
    this.forgetIfSettled();
  }
}
