// Run and task IDs. A run is one scheduled execution of a job; its ID comes
// from the job and the scheduled time alone, so every leader derives the same
// ID for the same run and a run recorded before launch is never launched
// twice. Each attempt of a run is one Mesos task, with Chronos' own task ID
// format `ct:<scheduled millis>:<attempt>:<job>` (Chronos appends
// `:<arguments>`; we keep arguments out of IDs and accept them when parsing).
import { ValidationError } from '@mesocosm/framework-sdk';
import { isValidJobName } from '../model/job-definition.js';

/** A run, as its ID names it. */
export interface RunRef {
  readonly runId: string;
  readonly job: string;
  /** Epoch milliseconds. */
  readonly scheduledTime: number;
}

/** One attempt of a run, as its task ID names it. */
export interface TaskRef extends RunRef {
  readonly taskId: string;
  /** 0 for the first attempt, as in Chronos. */
  readonly attempt: number;
}

const RUN_ID = /^([\w.-]+)@(0|[1-9]\d{0,15})$/;
const TASK_ID = /^ct:(0|[1-9]\d{0,15}):(0|[1-9]\d{0,8}):([\w.-]+)(?::.*)?$/;

function checkTime(scheduledTime: number): void {
  if (!Number.isSafeInteger(scheduledTime) || scheduledTime < 0) {
    throw new ValidationError('scheduledTime', `${scheduledTime} is not a time in whole milliseconds since 1970`);
  }
}

/**
 * The ID of the run of `job` scheduled at `scheduledTime`: `<job>@<millis>`.
 *
 * @example
 * ```ts
 * runIdFor('backup', Date.UTC(2026, 11, 1)); // 'backup@1796083200000'
 * ```
 */
export function runIdFor(job: string, scheduledTime: number): string {
  if (!isValidJobName(job)) throw new ValidationError('job', `'${job}' is not a valid job name`);
  checkTime(scheduledTime);
  return `${job}@${scheduledTime}`;
}

/** The job and scheduled time of a run ID, or null when `runId` is not one. */
export function parseRunId(runId: string): RunRef | null {
  const m = RUN_ID.exec(runId);
  if (m === null) return null;
  const [, job = '', millis = ''] = m;
  return { runId, job, scheduledTime: Number(millis) };
}

/**
 * The Mesos task ID of attempt `attempt` (0-based) of a run:
 * `ct:<scheduled millis>:<attempt>:<job>`, legal as a Mesos task ID.
 *
 * @example
 * ```ts
 * taskIdFor('backup@1796083200000', 1); // 'ct:1796083200000:1:backup'
 * ```
 */
export function taskIdFor(runId: string, attempt: number): string {
  const run = parseRunId(runId);
  if (run === null) throw new ValidationError('runId', `'${runId}' is not a run ID (<job>@<millis>)`);
  if (!Number.isSafeInteger(attempt) || attempt < 0 || attempt > 999_999_999) {
    throw new ValidationError('attempt', `${attempt} is not an attempt number (0, 1, 2, ...)`);
  }
  return `ct:${run.scheduledTime}:${attempt}:${run.job}`;
}

/**
 * Reads a task ID back into its run and attempt, for a new leader reconciling
 * the tasks Mesos reports. Null for task IDs that are not Chronos' (other
 * frameworks' tasks, or malformed).
 */
export function parseTaskId(taskId: string): TaskRef | null {
  const m = TASK_ID.exec(taskId);
  if (m === null) return null;
  const [, millis = '', attempt = '', job = ''] = m;
  const scheduledTime = Number(millis);
  if (!isValidJobName(job) || !Number.isSafeInteger(scheduledTime)) return null;
  return { taskId, runId: `${job}@${scheduledTime}`, job, scheduledTime, attempt: Number(attempt) };
}
