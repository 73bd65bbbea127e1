// Mesos' duration syntax: a number followed by a unit, e.g. `30secs`, `1mins`,
// `500ms`, `1.5hrs`. Pure: returns milliseconds.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  secs: 1000,
  mins: 60_000,
  hrs: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

/** The units {@link parseDuration} accepts, as Mesos spells them. */
export const DURATION_UNITS: readonly string[] = Object.keys(UNIT_MS);

/**
 * Parses a Mesos duration (`30secs`, `1mins`, `500ms`) into milliseconds.
 * @throws Error whose message says what a valid duration looks like.
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*$/.exec(text);
  if (!m) {
    throw new Error(`'${text}' is not a duration: write a number and a unit, e.g. 30secs, 1mins or 500ms`);
  }
  const factor = UNIT_MS[m[2] ?? ''];
  if (factor === undefined) {
    throw new Error(`'${text}' has an unknown unit '${m[2] ?? ''}': use one of ${DURATION_UNITS.join(', ')}`);
  }
  return Number(m[1]) * factor;
}

/** Formats milliseconds the way Mesos prints durations (largest exact unit). */
export function formatDuration(ms: number): string {
  for (const unit of ['weeks', 'days', 'hrs', 'mins', 'secs', 'ms'] as const) {
    const factor = UNIT_MS[unit] ?? 1;
    if (ms >= factor && Number.isInteger(ms / factor)) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}
