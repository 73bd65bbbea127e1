// What one run of a custom executor is made of (its process, container,
// stream, tasks and timers), with the pieces every part of its life uses:
// the agent's own status reports, the registration timer, and its
// checkpoint (written after each change, removed once it is gone and
// settled). The protocol and the life cycle are in custom-executor.ts.
import {
  ExecutorEventType,
  isTerminalState,
  newId,
  TaskStatusReason,
  TaskStatusSource,
  type Clock,
  type IAgentInfo,
  type IExecutorEvent,
  type IExecutorInfo,
  type IFrameworkInfo,
  type ITaskStatus,
  type Logger,
  type TimerHandle,
} from '@mesocosm/protocol';
import { removeExecutorCheckpoint, writeExecutorCheckpoint } from '../checkpoint/executor-checkpoint.js';
import type { ExecutorStream } from '../executor-api/executor-registry.js';
import type { Container, ContainerLimits } from '../isolation/isolator.js';
import { taskCheckpointOf, type PendingUpdate } from './custom-checkpoint.js';
import type { ExecutorLaunchDeps } from './custom-launch.js';
import type { ExecutorEnd } from './custom-status.js';
import type { CustomTask } from './custom-task.js';
import type { StatusChange } from './executor.js';
import { signalGroup, type SpawnedProcess } from './spawn-process.js';

/** What a custom executor needs from the agent. */
export interface CustomExecutorDeps extends ExecutorLaunchDeps {
  clock: Clock;
  logger: Logger;
  agentInfo: () => IAgentInfo;
  registrationTimeoutMs: number;
  /** How long an executor taken over after an agent restart has to subscribe again. */
  reregistrationTimeoutMs: number;
  shutdownGracePeriodMs: number;
  /** Queues a status update; `uuid` is the executor's own (else a new one is made). */
  statusUpdate: (frameworkId: string, status: ITaskStatus, uuid?: Uint8Array) => void;
  /** The updates of a task not yet acknowledged by its framework, oldest first. */
  pendingUpdates: (frameworkId: string, taskId: string) => readonly PendingUpdate[];
  /** Sends an executor's MESSAGE on to its framework, through the master (best effort). */
  frameworkMessage: (frameworkId: string, executorId: string, data: Uint8Array) => void;
}

/** Where a run is in its life. */
export type RunState = 'starting' | 'registering' | 'subscribed' | 'disconnected' | 'shutting-down' | 'exited';

/** See the file comment. */
export abstract class CustomExecutorBase {
  protected state: RunState = 'starting';
  protected readonly tasks = new Map<string, CustomTask>();
  protected readonly queuedMessages: Uint8Array[] = [];
  protected stream: ExecutorStream | undefined;
  protected proc: SpawnedProcess | undefined;
  protected container: Container | undefined;
  protected sandbox: string | undefined;
  protected timer: TimerHandle | undefined;
  /** The registration (or re-registration) timeout that expired. */
  protected registrationTimedOut: number | undefined;
  protected limitation: ExecutorEnd['limitation'];
  protected detached = false;
  protected started = false;
  protected limits: ContainerLimits | undefined;
  protected pidStartTime: number | undefined;
  /** The executor API address the process was told. */
  protected endpoint = '';
  /** Taken over after an agent restart (not our child). */
  protected recovered = false;
  private forgotten = false;
  protected readonly logger: Logger;
  protected resolveExited: () => void = () => {};
  private resolveFinished: () => void = () => {};
  /** Resolves once the process is gone and its tasks' fates reported. */
  readonly exited = new Promise<void>((resolve) => (this.resolveExited = resolve));
  /** Resolves once, after that, every update of its tasks is acknowledged and its checkpoint removed. */
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

  constructor(
    protected readonly deps: CustomExecutorDeps,
    readonly frameworkId: string,
    readonly executorId: string,
    protected readonly info: IExecutorInfo,
    protected readonly framework: IFrameworkInfo,
    /** Names this run (its cgroup and its checkpoint). */
    readonly containerId: string = newId('e'),
  ) {
    this.logger = deps.logger.child(`executor.${executorId}`);
  }

  /** True while new tasks may join this process. */
  get accepting(): boolean {
    return this.state !== 'shutting-down' && this.state !== 'exited';
  }

  /** A status change the agent makes itself (source AGENT), e.g. for a task the executor left behind. */
  protected report(task: CustomTask, change: StatusChange): void {
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
    // After the update queue's checkpoint: recovery trusts the queue over this one.
    this.save();
    if (isTerminalState(change.state)) this.ended(task);
  }

  protected ended(task: CustomTask): void {
    if (task.killTimer) this.deps.clock.clearTimeout(task.killTimer);
    task.killTimer = undefined;
    task.resolveDone();
  }

  protected watchLimits(pid: number): void {
    this.container?.watch(pid, (limitation) => {
      this.logger.warn('executor over its limit: killing it', { message: limitation.message });
      this.limitation = limitation;
      signalGroup(pid, 'SIGKILL');
    });
  }

  /** Kills the process unless it subscribes within `ms`. */
  protected armRegistrationTimer(ms: number): void {
    this.clearTimer();
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.state !== 'registering' && this.state !== 'disconnected') return;
      this.logger.warn('the executor did not subscribe in time: killing it', { afterMs: ms });
      this.registrationTimedOut = ms;
      this.killProcess();
    }, ms);
  }

  protected killProcess(): void {
    if (this.proc) signalGroup(this.proc.pid, 'SIGKILL');
  }

  /** Checkpoints this run (a failure is logged: the executor runs on, but a restart would lose it). */
  protected save(): void {
    if (this.detached || this.forgotten) return;
    try {
      writeExecutorCheckpoint(this.deps.workDir, {
        frameworkId: this.frameworkId,
        executorId: this.executorId,
        containerId: this.containerId,
        info: this.info,
        framework: this.framework,
        endpoint: this.endpoint,
        exited: this.state === 'exited',
        tasks: [...this.tasks.values()].map(taskCheckpointOf),
        ...(this.proc ? { pid: this.proc.pid } : {}),
        ...(this.pidStartTime === undefined ? {} : { pidStartTime: this.pidStartTime }),
        ...(this.limits ? { limits: this.limits } : {}),
        ...(this.sandbox === undefined ? {} : { sandbox: this.sandbox }),
      });
    } catch (err) {
      this.logger.error('cannot checkpoint the executor', { error: String(err) });
    }
  }

  /** Gone, and every update of its tasks acknowledged: the checkpoint goes. */
  protected forgetIfSettled(): void {
    if (this.state !== 'exited' || this.forgotten || this.detached) return;
    for (const t of this.tasks.values())
      if (!isTerminalState(t.record.state) || this.deps.pendingUpdates(this.frameworkId, t.record.taskId).length > 0)
        return;
    this.forgotten = true;
    try {
      removeExecutorCheckpoint(this, this.deps.workDir);
    } catch (err) {
      this.logger.warn('cannot remove the executor checkpoint', { error: String(err) });
    }
    this.resolveFinished();
  }

  /** Stops all bookkeeping (agent stopping without killing, or the run forgotten). */
  protected release(): void {
    this.resolveExited();
    this.resolveFinished();
  }

  protected send(event: IExecutorEvent): void {
    this.stream?.send(event);
  }

  protected clearTimer(): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The KILL event of a task, with its grace period when one is known. */
export function killEvent(taskId: string, graceMs: number | undefined): IExecutorEvent {
  return {
    type: ExecutorEventType.KILL,
    kill: {
      taskId: { value: taskId },
      ...(graceMs === undefined ? {} : { killPolicy: { gracePeriodSeconds: graceMs / 1000 } }),
    },
  };
}
