// ISO 8601 durations (`P1Y2M3W4DT5H6M7.5S`) as Chronos' `schedule` periods
// and `epsilon` use them. Years, months, weeks and days are calendar units
// (they keep the wall-clock time in the job's time zone); hours, minutes and
// seconds are elapsed time.
import { InvalidScheduleError } from '../errors.js';

/** An ISO 8601 duration, field by field. Only `seconds` may have a fraction. */
export interface Period {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Parses an ISO 8601 duration. `field` names the JSON field in errors.
 * Refuses negative durations, and zero unless `allowZero`.
 *
 * @example
 * ```ts
 * parsePeriod('P1DT12H', 'schedule'); // { years: 0, months: 0, weeks: 0, days: 1, hours: 12, minutes: 0, seconds: 0 }
 * ```
 */
export function parsePeriod(text: string, field: string, options: { allowZero?: boolean } = {}): Period {
  if (text.includes('-')) {
    throw new InvalidScheduleError(field, text, 'is negative: a duration must be positive (e.g. PT1H)');
  }
  const m = PATTERN.exec(text);
  if (m === null || text === 'P' || text.endsWith('T')) {
    throw new InvalidScheduleError(
      field,
      text,
      'is not an ISO 8601 duration: write P[nY][nM][nW][nD][T[nH][nM][nS]], e.g. PT1H, P1D, P1M (T separates minutes from months)',
    );
  }
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]?.replace(',', '.')));
  const period: Period = {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    hours: n(5),
    minutes: n(6),
    seconds: n(7),
  };
  if (!options.allowZero && isZero(period)) {
    throw new InvalidScheduleError(field, text, 'is zero: a repeating schedule needs a positive period (e.g. PT1H)');
  }
  return period;
}

/** True when every field is zero. */
export function isZero(p: Period): boolean {
  return p.years + p.months + p.weeks + p.days + p.hours + p.minutes + p.seconds === 0;
}

/** True when the period has calendar units (years, months, weeks or days). */
export function hasCalendarPart(p: Period): boolean {
  return p.years + p.months + p.weeks + p.days > 0;
}

/** The elapsed-time part (hours, minutes, seconds) in milliseconds. */
export function timePartMillis(p: Period): number {
  return Math.round((p.hours * 3600 + p.minutes * 60 + p.seconds) * 1000);
}

/**
 * A rough length in milliseconds (months as 30.44 days, years as 365.25):
 * only to estimate how many periods fit in a span, never to schedule.
 */
export function approximateMillis(p: Period): number {
  return (
    p.years * 365.2425 * DAY_MS + p.months * 30.436875 * DAY_MS + (p.weeks * 7 + p.days) * DAY_MS + timePartMillis(p)
  );
}

/**
 * An exact length in milliseconds for a duration without years or months
 * (weeks and days count as 7 and 1 × 24 h), as `epsilon` needs. Throws when
 * the duration has years or months, whose length depends on the date.
 */
export function fixedMillis(p: Period, field: string, text: string): number {
  if (p.years > 0 || p.months > 0) {
    throw new InvalidScheduleError(
      field,
      text,
      'uses years or months, whose length varies: write it in weeks, days, hours, minutes or seconds (e.g. P30D)',
    );
  }
  return (p.weeks * 7 + p.days) * DAY_MS + timePartMillis(p);
}

/** Parses a duration of fixed length (no years or months) into milliseconds; zero allowed. */
export function parseFixedDuration(text: string, field: string): number {
  return fixedMillis(parsePeriod(text, field, { allowZero: true }), field, text);
}

/** Canonical ISO 8601 text of a period (`PT0S` for zero). */
export function formatPeriod(p: Period): string {
  const date = `${p.years ? `${p.years}Y` : ''}${p.months ? `${p.months}M` : ''}${p.weeks ? `${p.weeks}W` : ''}${
    p.days ? `${p.days}D` : ''
  }`;
  const time = `${p.hours ? `${p.hours}H` : ''}${p.minutes ? `${p.minutes}M` : ''}${p.seconds ? `${p.seconds}S` : ''}`;
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}
