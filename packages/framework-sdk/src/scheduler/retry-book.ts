// Relaunches of failed tasks, for tasks wanted with a `retry` policy: a task
// that ends FAILED, LOST, DROPPED or GONE is wanted again under its key, with
// a new task ID, after an exponential delay, until its attempts run out.
// Killed, finished and invalid (ERROR) tasks are not retried. Pure.
import { isTerminalState, TaskState, type ITaskStatus } from '@mesocosm/protocol';
import type { WantedTask } from './types.js';

/** How a wanted task is relaunched when it fails. */
export interface RetryPolicy {
  /** Relaunches after the first attempt (0: none). */
  maxAttempts: number;
  /** Delay before the first relaunch, ms. Default 1000. */
  backoffMs?: number;
  /** Each relaunch waits this many times longer than the one before. Default 2. */
  backoffFactor?: number;
  /** The longest delay, ms. Default 60000. */
  maxBackoffMs?: number;
  /** The task ID of relaunch `attempt` (1, 2, ...) of `taskId`, the first attempt's ID. Default `${taskId}.retry-${attempt}`. */
  taskId?: (taskId: string, attempt: number) => string;
}

/** A relaunch the Scheduler has planned (passed to `onRetry`). */
export interface PlannedRetry {
  /** The key the task is wanted under. */
  readonly key: string;
  /** The task that failed. */
  readonly failedTaskId: string;
  /** The state it ended in. */
  readonly state: TaskState;
  /** The relaunch's task ID. */
  readonly taskId: string;
  /** 1 for the first relaunch. */
  readonly attempt: number;
  /** When it becomes pending again (ms, the Scheduler's clock). */
  readonly at: number;
}

/** States after which a task with a retry policy is relaunched. */
export const RETRIED_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_FAILED,
  TaskState.TASK_LOST,
  TaskState.TASK_DROPPED,
  TaskState.TASK_GONE,
  TaskState.TASK_GONE_BY_OPERATOR,
]);

/** The delay before relaunch `attempt` (1-based) under `policy`. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const base = Math.max(0, policy.backoffMs ?? 1000);
  const factor = Math.max(1, policy.backoffFactor ?? 2);
  const max = Math.max(0, policy.maxBackoffMs ?? 60_000);
  return Math.min(max, base * factor ** Math.min(attempt - 1, 60));
}

interface Launched {
  readonly key: string;
  readonly task: WantedTask;
  readonly firstId: string;
  readonly attempt: number;
}

interface Due {
  readonly key: string;
  readonly task: WantedTask;
  readonly at: number;
}

/** @internal the Scheduler core's retry state. */
export class RetryBook {
  /** Launched tasks that have a retry policy, by task ID. */
  private readonly launched = new Map<string, Launched>();
  /** Relaunches not launched yet: the first attempt's ID and the attempt number, by task ID. */
  private readonly lineage = new Map<string, { firstId: string; attempt: number }>();
  private due: Due[] = [];

  /** A task was launched under `key` (tasks without a policy are not kept). */
  onLaunched(key: string, task: WantedTask): void {
    if (!task.retry || task.retry.maxAttempts <= 0) return;
    const lineage = this.lineage.get(task.taskId);
    this.lineage.delete(task.taskId);
    this.launched.set(task.taskId, {
      key,
      task,
      firstId: lineage?.firstId ?? task.taskId,
      attempt: lineage?.attempt ?? 0,
    });
  }

  /** A status update: plans a relaunch when the task failed and has attempts left. */
  onUpdate(status: ITaskStatus, now: number): PlannedRetry | undefined {
    const id = status.taskId?.value ?? '';
    const entry = this.launched.get(id);
    const state = status.state;
    if (!entry || state === undefined || state === null || !isTerminalState(state)) return undefined;
    this.launched.delete(id);
    const policy = entry.task.retry;
    const attempt = entry.attempt + 1;
    if (!RETRIED_STATES.has(state) || !policy || attempt > policy.maxAttempts) return undefined;
    const taskId = (policy.taskId ?? ((t: string, a: number) => `${t}.retry-${a}`))(entry.firstId, attempt);
    const at = now + retryDelayMs(policy, attempt);
    this.due.push({ key: entry.key, task: { ...entry.task, taskId }, at });
    this.lineage.set(taskId, { firstId: entry.firstId, attempt });
    return { key: entry.key, failedTaskId: id, state, taskId, attempt, at };
  }

  /** The relaunches due by `now`, removed from the book. */
  takeDue(now: number): { key: string; task: WantedTask }[] {
    const ready = this.due.filter((d) => d.at <= now);
    if (ready.length > 0) this.due = this.due.filter((d) => d.at > now);
    return ready.map((d) => ({ key: d.key, task: d.task }));
  }

  /** When the next relaunch is due, if any. */
  nextDueAt(): number | undefined {
    let min: number | undefined;
    for (const d of this.due) if (min === undefined || d.at < min) min = d.at;
    return min;
  }

  /** Forgets the planned relaunches of `key` (it is no longer wanted). */
  cancel(key: string): void {
    for (const d of this.due) if (d.key === key) this.lineage.delete(d.task.taskId);
    this.due = this.due.filter((d) => d.key !== key);
  }
}
