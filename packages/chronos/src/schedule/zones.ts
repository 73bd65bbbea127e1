// Time zones and the DST rule shared by ISO 8601 schedules and cron.
//
// Wall-clock times are carried as "wall milliseconds": the local fields
// encoded as if they were UTC (Date.UTC(y, m, d, h, min, s)). A wall time is
// turned into an instant in a zone with one rule, the same one cron-parser
// follows, so that both schedule forms agree:
//   - a wall time that does not exist (skipped by a spring-forward change)
//     runs at the same wall time shifted forward by the gap: 02:30 on the
//     spring-forward day in New York runs at 03:30 EDT;
//   - a wall time that exists twice (repeated by a fall-back change) runs
//     once, at its first occurrence (the daylight-saving offset): 01:30 on
//     the fall-back day in New York runs at 01:30 EDT, not again at EST.
// A daily job therefore runs exactly once on both change days.
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { InvalidScheduleError } from '../errors.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Checks a tz database name (`Europe/Berlin`, `America/New_York`, `UTC`)
 * and returns it. `field` names the JSON field in errors.
 */
export function validateTimeZone(name: string, field: string): string {
  if (name.trim() === '' || !IANAZone.isValidZone(name)) {
    throw new InvalidScheduleError(
      field,
      name,
      'is not a time zone of the tz database: write a name such as UTC, Europe/Berlin or America/New_York',
    );
  }
  return name;
}

/** The luxon zone for a tz name or a fixed offset written as luxon names them (`UTC`, `UTC+5:30`). */
export function zoneFor(name: string): Zone {
  if (name === 'UTC') return FixedOffsetZone.utcInstance;
  const fixed = FixedOffsetZone.parseSpecifier(name);
  if (fixed !== null) return fixed;
  return IANAZone.create(name);
}

/** The wall-clock fields of `instant` in `zone`, as wall milliseconds. */
export function wallOf(instant: number, zone: Zone): number {
  return instant + zone.offset(instant) * MINUTE_MS;
}

/** The instant of a wall-clock time in `zone`, by the DST rule above. */
export function instantOf(wall: number, zone: Zone): number {
  const before = zone.offset(wall - DAY_MS);
  const after = zone.offset(wall + DAY_MS);
  const valid = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((instant) => wallOf(instant, zone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: read the wall time with the offset in force before the change,
  // which lands the same distance past the change as the gap is long.
  return wall - before * MINUTE_MS;
}

/** Adds calendar units to a wall time (months clamp to the month's end: Jan 31 + 1 month = Feb 28/29). */
export function addCalendar(
  wall: number,
  units: { years: number; months: number; weeks: number; days: number },
): number {
  return DateTime.fromMillis(wall, { zone: 'utc' }).plus(units).toMillis();
}

/** ISO 8601 text of `instant` in `zone`, with milliseconds and offset (`2026-12-01T00:00:00.000Z`). */
export function formatInstant(instant: number, zone: Zone): string {
  return (
    DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: false }) ?? new Date(instant).toISOString()
  );
}
