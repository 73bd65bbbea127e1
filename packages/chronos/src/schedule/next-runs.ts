// nextRuns: when a job will run next, for the scheduler's timer and for the API.
import type { JobDefinition } from '../model/job-definition.js';
import { runTimesOf } from './run-times.js';

/**
 * Up to `limit` scheduled run times strictly after `after` (epoch ms),
 * ascending. ISO 8601 schedules stop after their `Rn` runs; dependent jobs
 * have none (their parents start them).
 *
 * @example
 * ```ts
 * nextRuns(job, clock.now(), 3); // [1796083200000, 1796086800000, 1796090400000]
 * ```
 */
export function nextRuns(job: Pick<JobDefinition, 'trigger'>, after: number, limit: number): number[] {
  if (limit <= 0) return [];
  return runTimesOf(job.trigger).after(after, limit);
}
