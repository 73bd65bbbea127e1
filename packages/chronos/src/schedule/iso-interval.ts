// ISO 8601 repeating intervals, Chronos' `schedule`: `R[n]/<start>/<period>`.
// `R` repeats forever, `Rn` n times (R0: never again); an empty start means
// "now". With a `scheduleTimeZone` the start's wall-clock fields are read in
// that zone, whatever offset the text carries (Chronos does the same); without
// one, the start's own offset (UTC when it has none) is the zone and there is
// no daylight saving.
import { DateTime } from 'luxon';
import { InvalidScheduleError } from '../errors.js';
import { formatPeriod, parsePeriod, timePartMillis, type Period } from './iso-duration.js';
import { formatInstant, instantOf, validateTimeZone, wallOf, zoneFor } from './zones.js';

/** A parsed `R[n]/<start>/<period>`, resolved to instants. */
export interface RepeatingInterval {
  /** How many runs in all; `null` for `R` (forever). */
  readonly repetitions: number | null;
  /** The first run, in epoch milliseconds. */
  readonly start: number;
  /** The first run's wall-clock fields in `timeZone`, as wall milliseconds (see zones.ts). */
  readonly startWall: number;
  readonly period: Period;
  /** The zone of the calendar arithmetic: a tz name, `UTC`, or a fixed offset such as `UTC+5:30`. */
  readonly timeZone: string;
}

/** Options of {@link parseSchedule}. */
export interface ParseScheduleOptions {
  /** The current time, for an empty start. */
  readonly now: number;
  /** `scheduleTimeZone`: a tz name whose wall clock the start is read in. */
  readonly timeZone?: string;
  /** The JSON field named in errors (default `schedule`). */
  readonly field?: string;
}

const SHAPE = /^R(\d*)\/([^/]*)\/(.*)$/;
const DATE_FIRST = /^\d{4}-\d{2}-\d{2}/;
const MIN_PERIOD_MS = 1000;

/**
 * Parses a Chronos schedule.
 *
 * @example
 * ```ts
 * const s = parseSchedule('R5/2026-12-01T00:00:00Z/PT1H', { now: clock.now() });
 * s.repetitions; // 5
 * ```
 */
export function parseSchedule(text: string, options: ParseScheduleOptions): RepeatingInterval {
  const field = options.field ?? 'schedule';
  const m = SHAPE.exec(text);
  if (m === null) {
    throw new InvalidScheduleError(
      field,
      text,
      'is not an ISO 8601 repeating interval: write R[n]/<start>/<period>, e.g. R/2026-12-01T00:00:00Z/PT1H (empty start = now)',
    );
  }
  const [, count = '', startText = '', periodText = ''] = m;
  const repetitions = count === '' ? null : Number(count);
  if (repetitions !== null && !Number.isSafeInteger(repetitions)) {
    throw new InvalidScheduleError(field, text, `has a repetition count '${count}' that is too large`);
  }
  const period = parsePeriod(periodText, field);
  if (timePartMillis(period) < MIN_PERIOD_MS && period.years + period.months + period.weeks + period.days === 0) {
    throw new InvalidScheduleError(field, text, `has a period '${periodText}' shorter than one second`);
  }
  const named = options.timeZone === undefined || options.timeZone === '' ? undefined : options.timeZone;
  if (named !== undefined) validateTimeZone(named, 'scheduleTimeZone');

  if (startText === '') {
    const timeZone = named ?? 'UTC';
    const start = options.now;
    return { repetitions, start, startWall: wallOf(start, zoneFor(timeZone)), period, timeZone };
  }
  if (!DATE_FIRST.test(startText)) {
    throw new InvalidScheduleError(
      field,
      text,
      `has a start '${startText}' that is not a date-time (YYYY-MM-DDThh:mm:ssZ)`,
    );
  }
  const written = DateTime.fromISO(startText, { zone: 'utc', setZone: true });
  if (!written.isValid) {
    throw new InvalidScheduleError(
      field,
      text,
      `has a start '${startText}' that is not an ISO 8601 date-time (${written.invalidExplanation ?? 'unreadable'})`,
    );
  }
  const fieldsAsWall = Date.UTC(
    written.year,
    written.month - 1,
    written.day,
    written.hour,
    written.minute,
    written.second,
    written.millisecond,
  );
  const timeZone = named ?? written.zoneName ?? 'UTC';
  // A named zone keeps the written wall clock. The written offset decides only
  // which of two equal wall times is meant, when it is one the zone uses then.
  const zone = zoneFor(timeZone);
  const asWritten = written.toMillis();
  const start =
    named === undefined || wallOf(asWritten, zone) === fieldsAsWall ? asWritten : instantOf(fieldsAsWall, zone);
  if (start < 0) throw new InvalidScheduleError(field, text, 'starts before 1970-01-01T00:00:00Z');
  return { repetitions, start, startWall: wallOf(start, zone), period, timeZone };
}

/**
 * Chronos' text of a schedule from run `index` on: `R<n-index>/<run index>/<period>`.
 * Chronos rewrites a job's schedule this way as runs are scheduled, so that
 * GET jobs shows how many runs are left and when the next one is.
 */
export function formatSchedule(interval: RepeatingInterval, next?: { index: number; at: number }): string {
  const index = next?.index ?? 0;
  const at = next?.at ?? interval.start;
  const left = interval.repetitions === null ? '' : String(Math.max(0, interval.repetitions - index));
  return `R${left}/${formatInstant(at, zoneFor(interval.timeZone))}/${formatPeriod(interval.period)}`;
}
