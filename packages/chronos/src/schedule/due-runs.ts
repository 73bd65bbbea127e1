// dueRuns: which scheduled runs of a job are due now, and what happens to the
// ones that were missed. Nothing is dropped silently: every scheduled time up
// to `now` comes back either to start or as a skip with its reason.
//
// The caller keeps one cursor per job, `lastScheduled`: the scheduled time of
// the last run dealt with (started or skipped). Like Chronos, a run counts
// against `Rn` when it is scheduled (started or skipped), not when it ends;
// once all n are dealt with the job is finished.
import type { JobDefinition } from '../model/job-definition.js';
import { runIdFor } from './run-ids.js';
import { runTimesOf } from './run-times.js';

/** A run to start now. */
export interface DueRun {
  readonly runId: string;
  readonly scheduledTime: number;
  /** How late it starts (now − scheduled time), in ms; 0 when on time. */
  readonly lateBy: number;
}

/** Why a scheduled run does not start. */
export type SkipReason = 'missed-epsilon' | 'collapsed' | 'disabled';

/** A scheduled run that will not start, and why. */
export interface SkippedRun {
  readonly runId: string;
  readonly scheduledTime: number;
  readonly reason: SkipReason;
  /** For people: what happened, in a sentence. */
  readonly message: string;
}

/** The answer of {@link dueRuns}. */
export interface DueRuns {
  readonly start: readonly DueRun[];
  readonly skip: readonly SkippedRun[];
  /** The new `lastScheduled` to persist (with the run records) before launching. */
  readonly lastScheduled: number | null;
  /** True when the batch limit was reached: call again with the new cursor. */
  readonly more: boolean;
  /** Runs left after the cursor (the `Rn` count); null for schedules without end. */
  readonly remaining: number | null;
  /** True when no run is left: an `Rn` schedule that has had all n. */
  readonly finished: boolean;
  /** The next scheduled time after the cursor, for the timer; null when none. */
  readonly nextAt: number | null;
}

/** Options of {@link dueRuns}. */
export interface DueRunsOptions {
  /** At most this many scheduled times are dealt with per call (default 1000). */
  readonly limit?: number;
}

const iso = (t: number): string => new Date(t).toISOString();

/**
 * The runs of a scheduled job that are due at `now`, under its catch-up policy:
 * - `epsilon` (default, Chronos 2.x): a run whose scheduled time is at most
 *   `epsilon` ago starts (late if need be); an older one is skipped (`missed-epsilon`);
 * - `runOnce`: of the runs due, only the latest starts; the others are
 *   skipped (`collapsed`, naming the run that stands for them);
 * - `runAll`: every due run starts.
 *
 * A disabled job skips every due run (`disabled`). Dependent jobs have no
 * scheduled runs: see DependencyGraph.
 *
 * @example
 * ```ts
 * const due = dueRuns(job, cursor, clock.now());
 * // persist due.lastScheduled and the run records, then launch due.start; record due.skip
 * ```
 */
export function dueRuns(
  job: Pick<JobDefinition, 'name' | 'trigger' | 'epsilonMs' | 'catchUp' | 'disabled'>,
  lastScheduled: number | null,
  now: number,
  options: DueRunsOptions = {},
): DueRuns {
  const limit = Math.max(1, options.limit ?? 1000);
  const times = runTimesOf(job.trigger);
  const batch = times.after(lastScheduled, limit + 1, now);
  const more = batch.length > limit;
  const due = more ? batch.slice(0, limit) : batch;
  const start: DueRun[] = [];
  const skip: SkippedRun[] = [];
  const latest = job.catchUp === 'runOnce' && due.length > 0 ? times.latest(now, lastScheduled) : null;

  for (const t of due) {
    const runId = runIdFor(job.name, t);
    const lateBy = now - t;
    if (job.disabled) {
      skip.push({
        runId,
        scheduledTime: t,
        reason: 'disabled',
        message: `job '${job.name}' is disabled; run of ${iso(t)} skipped`,
      });
    } else if (job.catchUp === 'runAll') {
      start.push({ runId, scheduledTime: t, lateBy });
    } else if (job.catchUp === 'runOnce') {
      if (t === latest) start.push({ runId, scheduledTime: t, lateBy });
      else {
        const into = latest === null ? 'the latest run' : runIdFor(job.name, latest);
        skip.push({
          runId,
          scheduledTime: t,
          reason: 'collapsed',
          message: `missed run of ${iso(t)} collapsed into ${into} (catchUp runOnce)`,
        });
      }
    } else if (lateBy <= job.epsilonMs) {
      start.push({ runId, scheduledTime: t, lateBy });
    } else {
      skip.push({
        runId,
        scheduledTime: t,
        reason: 'missed-epsilon',
        message: `run of ${iso(t)} could not start within epsilon (${job.epsilonMs} ms); it is ${lateBy} ms late`,
      });
    }
  }

  const cursor = due.length > 0 ? (due[due.length - 1] as number) : lastScheduled;
  const remaining = times.remainingAfter(cursor);
  const nextAt = more ? (batch[limit] ?? null) : (times.after(cursor, 1)[0] ?? null);
  return { start, skip, lastScheduled: cursor, more, remaining, finished: remaining === 0, nextAt };
}

/**
 * The latest time a run may still start under the job's policy: scheduled
 * time + epsilon for `epsilon`, null (no limit) for `runOnce` and `runAll`.
 * A run waiting for offers past this time is skipped as `missed-epsilon`.
 */
export function startDeadline(job: Pick<JobDefinition, 'epsilonMs' | 'catchUp'>, scheduledTime: number): number | null {
  return job.catchUp === 'epsilon' ? scheduledTime + job.epsilonMs : null;
}
