// What every executor kind (command now; Docker and custom later) offers the agent.
import type { Clock, Logger, TaskState, TaskStatusReason } from '@mesocosm/protocol';
import type { Container } from '../isolation/isolator.js';
import type { TaskRecord } from '../tasks/task-book.js';

/** The facts of a status change an executor reports. */
export interface StatusChange {
  readonly state: TaskState;
  readonly reason?: TaskStatusReason;
  readonly message?: string;
}

/** What an executor gets to run one task. */
export interface ExecutorContext {
  readonly record: TaskRecord;
  readonly sandbox: string;
  readonly env: Record<string, string>;
  readonly container: Container;
  /** When set, the command records its exit status there (see checkpoint/exit-status.ts). */
  readonly exitStatusFile?: string;
  /** When set, the command runs as this user (`--switch_user`; see executors/run-as-user.ts). */
  readonly runAs?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Reports a status change (becomes an acknowledged status update). */
  readonly report: (change: StatusChange) => void;
}

/** A running task's executor. */
export interface TaskExecutor {
  /** Starts the task; reports RUNNING, or a terminal state when it cannot start. Resolves when done starting. */
  launch(): Promise<void>;
  /** SIGTERM now, SIGKILL after `gracePeriodMs`. */
  kill(gracePeriodMs: number): void;
  /** Resolves once the task has ended and its terminal state was reported. */
  readonly done: Promise<void>;
  /** Stops watching without killing (agent stopping without --kill_tasks_on_exit). */
  detach(): void;
}
