// Summary statistics of benchmark samples. Percentiles use the nearest-rank
// method (the value at rank ceil(p/100 * n) of the sorted samples), so every
// reported figure is one that was actually measured.

/** The summary of a set of samples (all in the samples' unit). */
export interface Summary {
  /** How many samples. */
  readonly n: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The `p`-th percentile (0..100) of `samples` by nearest rank; NaN when there
 * are no samples. `samples` is not modified.
 *
 * @example
 * ```ts
 * percentile([5, 1, 4, 2, 3], 50); // 3
 * ```
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!Number.isFinite(p) || p < 0 || p > 100)
    throw new RangeError(`percentile must be between 0 and 100, got ${p} (use 50 for the median, 99 for p99)`);
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? NaN;
}

/** The arithmetic mean of `samples`; NaN when there are none. */
export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  let sum = 0;
  for (const s of samples) sum += s;
  return sum / samples.length;
}

/** The median (nearest rank, so the lower middle value for an even count). */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** n, mean, p50, p99, min and max of `samples` (NaN figures when empty). */
export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    mean: mean(samples),
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    min: samples.length === 0 ? NaN : samples.reduce((a, b) => Math.min(a, b)),
    max: samples.length === 0 ? NaN : samples.reduce((a, b) => Math.max(a, b)),
  };
}
