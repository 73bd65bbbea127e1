// GET job/stat/{name}: Chronos answers a duration histogram and the task
// history; ours adds the counters and each run's outcome and duration.
import type { Json, RunHistoryEntry } from '../service/chronos-service.js';

/** Percentiles of the finished runs' durations, in milliseconds (Chronos' histogram keys). */
export interface DurationHistogram {
  readonly count: number;
  readonly mean: number;
  readonly median: number;
  readonly '75thPercentile': number;
  readonly '95thPercentile': number;
  readonly '98thPercentile': number;
  readonly '99thPercentile': number;
}

/** A run of the history, with its duration when it has started and finished. */
export type RunStat = RunHistoryEntry & { readonly durationMs?: number };

/** The body of GET job/stat/{name}. */
export interface JobStatBody {
  readonly name: string;
  readonly counters: Json;
  readonly histogram: DurationHistogram;
  /** Newest first, as the service gives it. */
  readonly taskStatHistory: readonly RunStat[];
}

function durationOf(run: RunHistoryEntry): number | undefined {
  if (run.startedAt === undefined || run.finishedAt === undefined) return undefined;
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

// Nearest-rank percentile of sorted values.
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

/** The histogram of durations (every entry with a start and an end). */
export function durationHistogram(durations: readonly number[]): DurationHistogram {
  const sorted = [...durations].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? 0 : Math.round(sum / sorted.length),
    median: percentile(sorted, 50),
    '75thPercentile': percentile(sorted, 75),
    '95thPercentile': percentile(sorted, 95),
    '98thPercentile': percentile(sorted, 98),
    '99thPercentile': percentile(sorted, 99),
  };
}

/** Renders the service's counters and history as the job/stat body. */
export function jobStatBody(name: string, stats: { counters: Json; history: readonly RunHistoryEntry[] }): JobStatBody {
  const history = stats.history.map((run): RunStat => {
    const durationMs = durationOf(run);
    return durationMs === undefined ? { ...run } : { ...run, durationMs };
  });
  const durations = history.flatMap((run) => (run.durationMs === undefined ? [] : [run.durationMs]));
  return { name, counters: stats.counters, histogram: durationHistogram(durations), taskStatHistory: history };
}
