// Human tables for the operator verbs: aligned columns, numbers to the right,
// sizes in MB/GB/TB. Pure.

/** One column of a {@link formatTable}. */
export interface Column<R> {
  header: string;
  value(row: R): string;
  /** Numbers read best aligned to the right (default left). */
  align?: 'left' | 'right';
}

const GAP = '  ';

/** Visible width of a cell (code points; the CLI prints no wide characters itself). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Formats `rows` under upper-case headers, one line each, columns two spaces
 * apart, no trailing spaces. Newlines and tabs inside a cell become spaces so
 * that a row stays one line. Returns '' for no columns.
 */
export function formatTable<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  if (columns.length === 0) return '';
  const cells = rows.map((r) => columns.map((c) => c.value(r).replace(/[\r\n\t]+/g, ' ')));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((row) => width(row[i] ?? ''))));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => pad(v, widths[i] ?? 0, columns[i]?.align ?? 'left'))
      .join(GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].map((l) => `${l}\n`).join('');
}

/** A number with at most `digits` decimals, trailing zeros dropped (`0.5`, `2`, `1.25`). */
export function formatNumber(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toFixed(digits)));
}

const SIZE_UNITS = ['MB', 'GB', 'TB', 'PB'] as const;

/**
 * A size given in MB (as Mesos counts mem and disk) in the largest binary
 * unit that keeps it at least 1: `512 MB`, `1.5 GB`, `3.9 TB`.
 */
export function formatMegabytes(mb: number): string {
  let value = mb;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value, 1)} ${SIZE_UNITS[unit] ?? 'MB'}`;
}

/** `used/total`, each formatted by `format` (e.g. `0.5/2`, `256 MB/2 GB`). */
export function formatUsedOfTotal(used: number, total: number, format: (n: number) => string): string {
  return `${format(used)}/${format(total)}`;
}

/** A fraction 0..1 as a percentage with one decimal (`12.5%`). */
export function formatPercent(fraction: number): string {
  return `${formatNumber(fraction * 100, 1)}%`;
}

/** A scalar resource from Mesos-style resources JSON (`{"cpus": 2, "ports": "[...]"}`), 0 when absent. */
export function scalar(resources: Readonly<Record<string, number | string>> | undefined, name: string): number {
  const v = resources?.[name];
  return typeof v === 'number' ? v : 0;
}
