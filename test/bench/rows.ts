// From measured figures to table rows: the ratio to the limit.
import type { Figure, ResultRow } from './types.js';

/**
 * How many times the limit's cost a figure is, whatever its direction:
 * `value / limit` for durations (lower is better), `limit / value` for rates
 * (higher is better). 1 means the figure is at its physical limit; 3 means it
 * costs three times the limit. Undefined without a usable limit.
 */
export function costRatio(figure: Figure): number | undefined {
  const { value, limit } = figure;
  if (limit === undefined || !Number.isFinite(limit) || !Number.isFinite(value) || limit <= 0 || value <= 0)
    return undefined;
  return figure.better === 'lower' ? value / limit : limit / value;
}

/** The figures with their ratios. */
export function toRows(figures: readonly Figure[]): ResultRow[] {
  return figures.map((f) => {
    const ratio = costRatio(f);
    return ratio === undefined ? { ...f } : { ...f, ratio };
  });
}
