// What becomes of a custom executor's tasks when the executor is gone. Pure.
import { TaskState, TaskStatusReason } from '@mesocosm/protocol';
import type { Limitation, Termination } from '../isolation/isolator.js';
import type { StatusChange } from './executor.js';

/** Why an executor process ended, as far as the agent knows. */
export interface ExecutorEnd {
  readonly termination?: Termination;
  /** The isolation stopped it (e.g. out of memory). */
  readonly limitation?: Limitation;
  /** It never subscribed within the registration timeout. */
  readonly registrationTimeoutMs?: number;
  /** The timeout above was the re-registration timeout after an agent restart. */
  readonly reregistration?: boolean;
  /** It ended while the agent was down (`down`), or later, not being the agent's child (`unwatched`). */
  readonly outOfSight?: 'down' | 'unwatched';
  /** It could not be started at all. */
  readonly launchError?: string;
  /** The reason its tasks fail with when it could not be started (default REASON_CONTAINER_LAUNCH_FAILED). */
  readonly launchReason?: TaskStatusReason;
}

/** How an executor process ended, in words. Pure. */
export function describeExecutorEnd(end: ExecutorEnd): string {
  if (end.launchError !== undefined) return `Cannot launch the executor: ${end.launchError}`;
  if (end.registrationTimeoutMs !== undefined)
    return end.reregistration
      ? `Executor did not re-subscribe within ${end.registrationTimeoutMs / 1000} s after the agent restarted and was killed`
      : `Executor did not subscribe within ${end.registrationTimeoutMs / 1000} s and was killed`;
  if (end.limitation) return end.limitation.message;
  if (end.outOfSight === 'down') return 'Executor terminated while the agent was down';
  if (end.outOfSight === 'unwatched')
    return 'Executor terminated (started before the agent restarted, so its exit status is unknown)';
  const t = end.termination;
  if (!t) return 'Executor terminated';
  if (t.signal !== null) return `Executor terminated with signal ${t.signal}`;
  return `Executor exited with status ${t.code ?? 'unknown'}`;
}

/** The terminal status of a task whose executor is gone before the task ended. Pure. */
export function orphanedTaskStatus(end: ExecutorEnd, killRequested: boolean, launched: boolean): StatusChange {
  const message = describeExecutorEnd(end);
  if (killRequested)
    return {
      state: TaskState.TASK_KILLED,
      message,
      ...(launched ? {} : { reason: TaskStatusReason.REASON_TASK_KILLED_DURING_LAUNCH }),
    };
  if (end.launchError !== undefined)
    return {
      state: TaskState.TASK_FAILED,
      reason: end.launchReason ?? TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED,
      message,
    };
  if (end.limitation) return { state: TaskState.TASK_FAILED, reason: end.limitation.reason, message };
  return { state: TaskState.TASK_FAILED, reason: TaskStatusReason.REASON_EXECUTOR_TERMINATED, message };
}
