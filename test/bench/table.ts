// The results table printed at the end of a run.
import type { ResultRow, Unit } from './types.js';

/** A figure in its unit, with a precision that suits its size. */
export function formatValue(value: number | undefined, unit: Unit): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  if (unit === 'ms' || unit === 'KiB' || unit === 'MiB') {
    const digits = value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3;
    return `${value.toFixed(digits)} ${unit}`;
  }
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

/** `3.20x`, `146x`; `-` without a ratio. */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(2)}x`;
}

/** The rows as an aligned text table (scenario, figure, value, limit, ratio), then the limits' meanings. */
export function renderTable(rows: readonly ResultRow[]): string {
  const header = ['scenario', 'figure', 'value', 'limit', 'ratio'];
  const cells = rows.map((r) => [
    r.scenario,
    r.figure,
    formatValue(r.value, r.unit),
    formatValue(r.limit, r.unit),
    formatRatio(r.ratio),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  // Text columns left-aligned, numbers right-aligned.
  const line = (c: string[]): string =>
    c
      .map((v, i) => (i < 2 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  const limits = [...new Set(rows.flatMap((r) => (r.limitLabel ? [`  ${r.scenario}: ${r.limitLabel}`] : [])))];
  if (limits.length > 0) out.push('', 'limits (measured in this run):', ...limits);
  out.push(
    '',
    'ratio = how many times the limit it costs (value/limit for times, limit/value for rates); 1x = at the limit',
  );
  return out.join('\n');
}
