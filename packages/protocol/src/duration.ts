// Mesos' duration syntax: a number and a unit, e.g. `30secs`, `1mins`,
// `500ms`, `1.5hrs`, `.5secs`. One grammar for the CLI's flags, the
// executor's MESOS_SUBSCRIPTION_BACKOFF_MAX and the agent that writes it. Pure.

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

/** The units of a Mesos duration, as Mesos spells them. */
export const MESOS_DURATION_UNITS: readonly string[] = Object.keys(UNIT_MS);

/** A parsed Mesos duration, or what is wrong with the text. */
export type MesosDurationReading = { ms: number } | { error: 'syntax' } | { error: 'unit'; unit: string };

/** Reads `text` as a Mesos duration, saying what is wrong when it is not one. */
export function readMesosDuration(text: string): MesosDurationReading {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*$/.exec(text);
  if (!m) return { error: 'syntax' };
  const unit = m[2] ?? '';
  const factor = UNIT_MS[unit];
  return factor === undefined ? { error: 'unit', unit } : { ms: Number(m[1]) * factor };
}

/** A Mesos duration in milliseconds, or undefined when `text` is not one. */
export function parseMesosDuration(text: string): number | undefined {
  const r = readMesosDuration(text);
  return 'ms' in r ? r.ms : undefined;
}

/** Milliseconds the way Mesos prints durations (the largest exact unit, e.g. `1mins`, `1500ms`). */
export function formatMesosDuration(ms: number): string {
  for (const unit of ['weeks', 'days', 'hrs', 'mins', 'secs', 'ms'] as const) {
    const factor = UNIT_MS[unit] ?? 1;
    if (ms >= factor && Number.isInteger(ms / factor)) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}
