// A command task a previous run of the agent launched, taken over after a
// restart. It is no longer our child: its end is seen by polling its pid
// (with its start time, against pid reuse), and how it ended is read from the
// exit status its wrapper recorded (checkpoint/exit-status.ts).
import { TaskState, TaskStatusReason, type Clock, type Logger, type TimerHandle } from '@mesocosm/protocol';
import { readExitStatus } from '../checkpoint/exit-status.js';
import { sameProcessAlive } from '../checkpoint/process-identity.js';
import type { Container, Limitation } from '../isolation/isolator.js';
import type { TaskRecord } from '../tasks/task-book.js';
import { terminalStatus } from './command.js';
import type { StatusChange, TaskExecutor } from './executor.js';
import { killGroupGracefully, signalGroup } from './spawn-process.js';

/** What a re-attached executor works with. */
export interface ReattachedContext {
  readonly record: TaskRecord;
  /** The task's process group leader (the exit-status wrapper). */
  readonly pid: number;
  readonly pidStartTime: number | undefined;
  readonly exitStatusFile: string;
  readonly container: Container;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly report: (change: StatusChange) => void;
  /** How often the pid is looked at. */
  readonly pollMs: number;
}

/** The terminal status of a task that ended out of our sight. Pure apart from reading the exit status file. */
export function endedStatus(exitStatusFile: string, killed: boolean, limitation: Limitation | undefined): StatusChange {
  const t = readExitStatus(exitStatusFile);
  if (t) return terminalStatus(t, killed, limitation);
  return {
    state: killed ? TaskState.TASK_KILLED : TaskState.TASK_FAILED,
    reason: TaskStatusReason.REASON_EXECUTOR_TERMINATED,
    message:
      'The task ended while the agent was not its parent, without recording its exit status (killed with SIGKILL?): its exit status is unknown',
  };
}

/** See the file comment. */
export class ReattachedCommandExecutor implements TaskExecutor {
  private timer: TimerHandle | undefined;
  private killTimer: TimerHandle | undefined;
  private limitation: Limitation | undefined;
  private stopped = false;
  private resolveDone: () => void = () => {};
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly ctx: ReattachedContext) {}

  /** Starts watching the process and its limits; when it is already gone, reports how it ended first. */
  async launch(): Promise<void> {
    const { pid, container, record } = this.ctx;
    if (!sameProcessAlive(pid, this.ctx.pidStartTime)) return this.finish();
    container.watch(pid, (limitation) => {
      this.limitation = limitation;
      this.ctx.logger.warn('task over its limit: killing it', { taskId: record.taskId, message: limitation.message });
      signalGroup(pid, 'SIGKILL');
    });
    this.poll();
  }

  kill(gracePeriodMs: number): void {
    this.ctx.record.killRequested = true;
    if (this.killTimer || this.stopped) return;
    this.killTimer = killGroupGracefully(this.ctx.pid, gracePeriodMs, this.ctx.clock);
  }

  detach(): void {
    this.stopped = true;
    if (this.timer) this.ctx.clock.clearTimeout(this.timer);
    if (this.killTimer) this.ctx.clock.clearTimeout(this.killTimer);
    this.ctx.container.release();
  }

  private poll(): void {
    if (this.stopped) return;
    if (sameProcessAlive(this.ctx.pid, this.ctx.pidStartTime)) {
      this.timer = this.ctx.clock.setTimeout(() => this.poll(), this.ctx.pollMs);
      return;
    }
    void this.finish();
  }

  private async finish(): Promise<void> {
    this.stopped = true;
    if (this.killTimer) this.ctx.clock.clearTimeout(this.killTimer);
    const { pid, container, record } = this.ctx;
    signalGroup(pid, 'SIGKILL');
    const recorded = readExitStatus(this.ctx.exitStatusFile);
    const limitation =
      this.limitation ?? (recorded ? await container.limitation(recorded).catch(() => undefined) : undefined);
    await container
      .cleanup()
      .catch((err: unknown) =>
        this.ctx.logger.warn('cannot clean up the container', { taskId: record.taskId, error: String(err) }),
      );
    this.ctx.report(endedStatus(this.ctx.exitStatusFile, record.killRequested, limitation));
    this.resolveDone();
  }
}
