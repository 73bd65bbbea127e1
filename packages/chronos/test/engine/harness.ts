// A test harness for the engine: a fake cluster port that records what the
// engine wants, launches it on request and plays status updates back, a
// FakeClock, and a MemoryStateStore (shared between engines when a test
// wants a second leader).
import {
  FakeClock,
  TaskState,
  TaskStatusReason,
  silentLogger,
  type IOffer,
  type ITaskStatus,
  type LaunchedTask,
  type WantedTask,
} from '@mesocosm/framework-sdk';
import { MemoryStateStore, type StateStore } from '@mesocosm/framework-sdk/ha';
import { ChronosEngine, ChronosStore, type TaskPort } from '../../src/index.js';

/** Records the engine's wishes. */
export class FakePort implements TaskPort {
  readonly wanted = new Map<string, WantedTask>();
  /** Every task ID ever wanted, in order (a task wanted twice appears twice). */
  readonly wants: string[] = [];
  readonly kills: string[] = [];

  want(runId: string, task: WantedTask): void {
    this.wanted.set(runId, task);
    this.wants.push(task.taskId);
  }

  unwant(runId: string): void {
    this.wanted.delete(runId);
  }

  kill(taskId: string): void {
    this.kills.push(taskId);
  }
}

/** Retries after 1 s, fixed. */
export const FAST_RETRY = { initialDelayMs: 1_000, factor: 1, maxDelayMs: 1_000 };

/** A leader under test. */
export class Leader {
  private constructor(
    readonly engine: ChronosEngine,
    readonly port: FakePort,
    readonly clock: FakeClock,
  ) {}

  static async start(store: StateStore, clock: FakeClock, start = true): Promise<Leader> {
    const port = new FakePort();
    const engine = await ChronosEngine.restore({
      store: new ChronosStore(store),
      port,
      clock,
      logger: silentLogger,
      retryPolicy: FAST_RETRY,
      frameworkId: () => 'fw-1',
    });
    if (start) engine.start();
    return new Leader(engine, port, clock);
  }

  /** Launches every wanted task on agent a1 (as the Scheduler would on an offer); returns their task IDs. */
  launchAll(): string[] {
    const offer: IOffer = { id: { value: 'o1' }, agentId: { value: 'a1' }, hostname: 'h1', url: 'http://h1:5051' };
    const launched: LaunchedTask[] = [...this.port.wanted].map(([key, t]) => ({
      key,
      taskId: t.taskId,
      task: { taskId: { value: t.taskId } },
      offer,
    }));
    this.port.wanted.clear();
    this.engine.onLaunched(launched);
    return launched.map((l) => l.taskId);
  }

  /** Plays a status update (at the clock's time unless given). */
  update(taskId: string, state: TaskState, extra: Partial<ITaskStatus> = {}): Promise<void> {
    return this.engine.onUpdate({
      taskId: { value: taskId },
      state,
      agentId: { value: 'a1' },
      timestamp: this.clock.now() / 1000,
      uuid: new Uint8Array([1]),
      ...extra,
    });
  }

  /** Launches, runs and finishes a task. */
  async runToEnd(taskId: string, end: TaskState = TaskState.TASK_FINISHED): Promise<void> {
    await this.update(taskId, TaskState.TASK_RUNNING);
    await this.update(taskId, end);
  }

  /** The master's answer to an explicit reconciliation for a task it does not know. */
  unknown(taskId: string): Promise<void> {
    return this.engine.onUpdate({
      taskId: { value: taskId },
      state: TaskState.TASK_LOST,
      reason: TaskStatusReason.REASON_RECONCILIATION,
      timestamp: this.clock.now() / 1000,
    });
  }
}

/** Moves fake time and lets every operation that became due finish. */
export async function advance(clock: FakeClock, engines: readonly ChronosEngine[], ms: number): Promise<void> {
  clock.advance(ms);
  for (let i = 0; i < 20; i++) {
    for (const e of engines) await e.settled();
    clock.advance(0); // timers armed for "now" by what just ran
    for (const e of engines) await e.settled();
  }
}

/** A store and a clock at 2026-01-01T00:00:00Z. */
export function fixture(): { store: MemoryStateStore; clock: FakeClock; t0: number } {
  const t0 = Date.UTC(2026, 0, 1);
  return { store: new MemoryStateStore(), clock: new FakeClock(t0), t0 };
}

/** `R[n]/<t>/PT<s>S`. */
export function every(seconds: number, start: number, count = ''): string {
  return `R${count}/${new Date(start).toISOString()}/PT${seconds}S`;
}

export { TaskState };
