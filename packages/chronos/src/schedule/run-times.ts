// One view over a job's run times, whichever form its schedule takes
// (ISO 8601 interval or cron): what comes after a time, the latest run up to
// a time, and how many runs remain. Dependent jobs have no run times: their
// runs come from the dependency graph.
import type { JobTrigger } from '../model/job-definition.js';
import { cronLatestAtOrBefore, cronRunsAfter } from './cron.js';
import { firstIndexAfter, occurrenceAt, withinCount } from './occurrences.js';

/** A job's scheduled run times. `after = null` means "from the job's first run". */
export interface RunTimes {
  /** Up to `limit` run times strictly after `after` and at or before `until`, ascending. */
  after(after: number | null, limit: number, until?: number): number[];
  /** The last run time at or before `t` and strictly after `after`, or null. */
  latest(t: number, after: number | null): number | null;
  /** How many runs remain strictly after `after`; null when they never end. */
  remainingAfter(after: number | null): number | null;
}

const NONE: RunTimes = { after: () => [], latest: () => null, remainingAfter: () => 0 };

/** The run times of a trigger (none for a dependent job). */
export function runTimesOf(trigger: JobTrigger): RunTimes {
  if (trigger.kind === 'dependency') return NONE;
  if (trigger.kind === 'cron') {
    const { expression, timeZone } = trigger;
    // A cron job has no runs before it was defined.
    const floor = (after: number | null): number => Math.max(after ?? -Infinity, trigger.since - 1);
    return {
      after: (after, limit, until) => cronRunsAfter(expression, timeZone, floor(after), limit, until),
      latest: (t, after) => cronLatestAtOrBefore(expression, timeZone, t, floor(after)),
      remainingAfter: () => null,
    };
  }
  const interval = trigger.interval;
  const firstIndex = (after: number | null): number => (after === null ? 0 : firstIndexAfter(interval, after));
  return {
    after(after, limit, until = Number.POSITIVE_INFINITY) {
      const runs: number[] = [];
      for (let k = firstIndex(after); runs.length < limit && withinCount(interval, k); k++) {
        const at = occurrenceAt(interval, k);
        if (at > until) break;
        runs.push(at);
      }
      return runs;
    },
    latest(t, after) {
      let k = firstIndexAfter(interval, t) - 1;
      if (interval.repetitions !== null) k = Math.min(k, interval.repetitions - 1);
      if (k < firstIndex(after)) return null;
      return occurrenceAt(interval, k);
    },
    remainingAfter(after) {
      return interval.repetitions === null ? null : Math.max(0, interval.repetitions - firstIndex(after));
    },
  };
}
