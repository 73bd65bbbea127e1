// Run k of an ISO 8601 schedule is start ⊕ k × period: the calendar part
// (years, months, weeks, days) is added to the start's wall clock in the
// schedule's zone, then the elapsed part (hours, minutes, seconds) as time.
// Computing each run from the start, never from the previous run, keeps runs
// aligned: a monthly job from Jan 31 runs Feb 28, Mar 31, Apr 30, ...
import { approximateMillis, hasCalendarPart, timePartMillis } from './iso-duration.js';
import type { RepeatingInterval } from './iso-interval.js';
import { addCalendar, instantOf, zoneFor } from './zones.js';

/** The time of run `k` (0-based), whether or not `k` is within the repetition count. */
export function occurrenceAt(interval: RepeatingInterval, k: number): number {
  if (k === 0) return interval.start;
  const { period } = interval;
  const elapsed = k * timePartMillis(period);
  if (!hasCalendarPart(period)) return interval.start + elapsed;
  const wall = addCalendar(interval.startWall, {
    years: k * period.years,
    months: k * period.months,
    weeks: k * period.weeks,
    days: k * period.days,
  });
  return instantOf(wall, zoneFor(interval.timeZone)) + elapsed;
}

/** The index of the first run strictly after `t` (ignoring the repetition count). */
export function firstIndexAfter(interval: RepeatingInterval, t: number): number {
  if (t < interval.start) return 0;
  const span = t - interval.start;
  if (!hasCalendarPart(interval.period)) return Math.floor(span / timePartMillis(interval.period)) + 1;
  // Estimate from the average length, then walk the few steps to the exact index.
  let k = Math.max(0, Math.floor(span / approximateMillis(interval.period)));
  while (k > 0 && occurrenceAt(interval, k - 1) > t) k--;
  while (occurrenceAt(interval, k) <= t) k++;
  return k;
}

/** True when run `k` exists under the repetition count. */
export function withinCount(interval: RepeatingInterval, k: number): boolean {
  return interval.repetitions === null || k < interval.repetitions;
}
