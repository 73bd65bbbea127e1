// One custom executor process on this agent: the (framework, executor ID)
// pair from a task's ExecutorInfo. Started by its first task in its own
// sandbox, process group and container; its tasks are queued until it
// subscribes over the executor API, then LAUNCHed; its UPDATEs become the
// agent's status updates. When its last task has ended it gets SHUTDOWN;
// when it exits, the tasks it leaves behind fail.
import {
  ExecutorEventType,
  isTerminalState,
  TaskState,
  TaskStatusReason,
  TaskStatusSource,
  taskStateName,
  uuidToString,
  type Clock,
  type ExecutorCall,
  type IAgentInfo,
  type IExecutorEvent,
  type IExecutorInfo,
  type IFrameworkInfo,
  type ITaskStatus,
  type Logger,
  type TimerHandle,
} from '@mesocosm/protocol';
import type { ExecutorSession, ExecutorStream } from '../executor-api/executor-registry.js';
import { FetchFailedError } from '../fetcher/fetch-errors.js';
import type { Container, Termination } from '../isolation/isolator.js';
import type { TaskRecord } from '../tasks/task-book.js';
import { orphanedTaskStatus, type ExecutorEnd } from './custom-status.js';
import { acknowledgedEvent, isSettled, newCustomTask, type CustomTask } from './custom-task.js';
import type { StatusChange, TaskExecutor } from './executor.js';
import { launchExecutorProcess, type ExecutorLaunchDeps, type LaunchedExecutor } from './custom-launch.js';
import { signalGroup, type SpawnedProcess } from './spawn-process.js';

/** What a custom executor needs from the agent. */
export interface CustomExecutorDeps extends ExecutorLaunchDeps {
  clock: Clock;
  logger: Logger;
  agentInfo: () => IAgentInfo;
  registrationTimeoutMs: number;
  shutdownGracePeriodMs: number;
  /** Queues a status update; `uuid` is the executor's own (else a new one is made). */
  statusUpdate: (frameworkId: string, status: ITaskStatus, uuid?: Uint8Array) => void;
}

/** An executor gets at least this long to answer a KILL with a terminal update. */
const MIN_KILL_ANSWER_MS = 1_000;

type State = 'starting' | 'registering' | 'subscribed' | 'disconnected' | 'shutting-down' | 'exited';

/** See the file comment. */
export class CustomExecutor {
  private state: State = 'starting';
  private readonly tasks = new Map<string, CustomTask>();
  private readonly queuedMessages: Uint8Array[] = [];
  private stream: ExecutorStream | undefined;
  private proc: SpawnedProcess | undefined;
  private container: Container | undefined;
  private sandbox: string | undefined;
  private timer: TimerHandle | undefined;
  private registrationTimedOut = false;
  private limitation: ExecutorEnd['limitation'];
  private detached = false;
  private started = false;
  private readonly logger: Logger;
  private resolveExited: () => void = () => {};
  /** Resolves once the process is gone and its tasks' fates reported. */
  readonly exited = new Promise<void>((resolve) => (this.resolveExited = resolve));

  constructor(
    private readonly deps: CustomExecutorDeps,
    readonly frameworkId: string,
    readonly executorId: string,
    private readonly info: IExecutorInfo,
    private readonly framework: IFrameworkInfo,
    /** The previous process of this executor ID, which must be gone first. */
    private readonly previous: Promise<void> = Promise.resolve(),
  ) {
    this.logger = deps.logger.child(`executor.${executorId}`);
  }

  /** True while new tasks may join this process. */
  get accepting(): boolean {
    return this.state !== 'shutting-down' && this.state !== 'exited';
  }

  /** Adds a task; the returned handle launches, kills and waits for it. */
  addTask(record: TaskRecord): TaskExecutor {
    const task = newCustomTask(record);
    this.tasks.set(record.taskId, task);
    return {
      launch: () => this.launchTask(task),
      kill: (graceMs) => this.killTask(task, graceMs),
      done: task.done,
      detach: () => this.detach(),
    };
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
    this.logger.info(old ? 'executor subscribed again' : 'executor subscribed', { pid: this.proc?.pid });
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
    if (task?.uuids.get(uuid) !== 'pending') return;
    task.uuids.set(uuid, 'acknowledged');
    this.send(acknowledgedEvent(taskId, Buffer.from(uuid, 'hex')));
    this.shutdownIfIdle();
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
    this.resolveExited();
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
    this.send({
      type: ExecutorEventType.KILL,
      kill: { taskId: { value: task.record.taskId }, killPolicy: { gracePeriodSeconds: graceMs / 1000 } },
    });
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

  /** A status change the agent makes itself (source AGENT), e.g. for a task the executor left behind. */
  private report(task: CustomTask, change: StatusChange): void {
    if (isTerminalState(task.record.state)) return;
    task.record.state = change.state;
    this.deps.statusUpdate(this.frameworkId, {
      taskId: { value: task.record.taskId },
      state: change.state,
      message: change.message ?? '',
      reason: change.reason ?? TaskStatusReason.REASON_NONE,
      source: TaskStatusSource.SOURCE_AGENT,
      agentId: { value: this.deps.agentId() },
      executorId: { value: this.executorId },
    });
    if (isTerminalState(change.state)) this.ended(task);
  }

  private ended(task: CustomTask): void {
    if (task.killTimer) this.deps.clock.clearTimeout(task.killTimer);
    task.killTimer = undefined;
    task.resolveDone();
  }

  // ---- calls from the executor --------------------------------------------------------

  private receive(call: ExecutorCall, stream: ExecutorStream): void {
    if (stream !== this.stream) return;
    if (call.update) this.onUpdate(call.update.status ?? {});
    else if (call.message)
      // The agent API has no executor -> framework message (yet): say so in the log.
      this.logger.info('dropping an executor message: there is no way to the framework yet', {
        bytes: call.message.data?.length ?? 0,
      });
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
      // A resend (after a reconnection): acknowledge it again if the framework already did.
      if (seen === 'acknowledged') this.send(acknowledgedEvent(taskId, status.uuid ?? new Uint8Array()));
      return;
    }
    task.heardFrom = true;
    task.uuids.set(uuid, 'pending');
    if (isTerminalState(task.record.state)) {
      this.logger.warn('dropping an update after a terminal state', { taskId, state: taskStateName(status.state) });
      task.uuids.set(uuid, 'acknowledged');
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
    this.armRegistrationTimer();
  }

  // ---- the process ----------------------------------------------------------------------

  private async start(first: TaskRecord): Promise<void> {
    await this.previous;
    let launched: LaunchedExecutor | undefined;
    try {
      launched = await launchExecutorProcess(this.deps, this.frameworkId, this.info, first.task, () => this.detached);
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
    this.logger.info('executor started', { pid: proc.pid, sandbox: this.sandbox });
    for (const t of this.tasks.values()) {
      t.record.directory = this.sandbox;
      t.record.pid = proc.pid;
    }
    if (this.state === 'starting') this.state = 'registering';
    this.armRegistrationTimer();
    this.container?.watch(proc.pid, (limitation) => {
      this.logger.warn('executor over its limit: killing it', { message: limitation.message });
      this.limitation = limitation;
      signalGroup(proc.pid, 'SIGKILL');
    });
    if (this.state === 'shutting-down') this.terminate('no tasks left');
    else this.shutdownIfIdle();
    void proc.exited.then((t) => this.onExit(proc.pid, t));
  }

  private armRegistrationTimer(): void {
    this.clearTimer();
    const ms = this.deps.registrationTimeoutMs;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.state !== 'registering' && this.state !== 'disconnected') return;
      this.logger.warn('the executor did not subscribe in time: killing it', { afterMs: ms });
      this.registrationTimedOut = true;
      this.killProcess();
    }, ms);
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

  private killProcess(): void {
    if (this.proc) signalGroup(this.proc.pid, 'SIGKILL');
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
    this.exit({
      termination,
      ...(limitation ? { limitation } : {}),
      ...(this.registrationTimedOut ? { registrationTimeoutMs: this.deps.registrationTimeoutMs } : {}),
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
    this.resolveExited();
  }

  private send(event: IExecutorEvent): void {
    this.stream?.send(event);
  }

  private clearTimer(): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
