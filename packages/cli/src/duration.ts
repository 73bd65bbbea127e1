// Mesos' duration syntax for the CLI's flags (the grammar lives in
// @mesocosm/protocol, shared with the agent and the executor driver).
import { formatMesosDuration, MESOS_DURATION_UNITS, readMesosDuration } from '@mesocosm/protocol';

/** The units {@link parseDuration} accepts, as Mesos spells them. */
export const DURATION_UNITS: readonly string[] = MESOS_DURATION_UNITS;

/**
 * Parses a Mesos duration (`30secs`, `1mins`, `500ms`) into milliseconds.
 * @throws Error whose message says what a valid duration looks like.
 */
export function parseDuration(text: string): number {
  const r = readMesosDuration(text);
  if ('ms' in r) return r.ms;
  if (r.error === 'unit') {
    throw new Error(`'${text}' has an unknown unit '${r.unit}': use one of ${DURATION_UNITS.join(', ')}`);
  }
  throw new Error(`'${text}' is not a duration: write a number and a unit, e.g. 30secs, 1mins or 500ms`);
}

/** Formats milliseconds the way Mesos prints durations (largest exact unit). */
export const formatDuration: (ms: number) => string = formatMesosDuration;
