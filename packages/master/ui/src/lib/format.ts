// Formatting of numbers, sizes, times and resources for display. Pure.
import type { ResourcesJson, Scalar } from './types.js';

/** A number with at most `digits` decimals and no trailing zeros. */
export function fmtNumber(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return '–';
  const fixed = n.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** Megabytes (as Mesos counts mem and disk) as MB, GB or TB. */
export function fmtMegabytes(mb: number): string {
  if (!Number.isFinite(mb)) return '–';
  if (Math.abs(mb) >= 1024 * 1024) return `${fmtNumber(mb / (1024 * 1024), 1)} TB`;
  if (Math.abs(mb) >= 1024) return `${fmtNumber(mb / 1024, 1)} GB`;
  return `${fmtNumber(mb, 0)} MB`;
}

/** Bytes as B, KB, MB or GB. */
export function fmtBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${fmtNumber(bytes / 1024, 1)} KB`;
  return fmtMegabytes(bytes / (1024 * 1024));
}

/** A scalar resource's amount in its unit (mem and disk in MB). */
export function fmtScalar(name: Scalar | string, amount: number): string {
  return name === 'mem' || name === 'disk' ? fmtMegabytes(amount) : fmtNumber(amount);
}

/** A fraction 0..1 as a percentage. */
export function fmtPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  return `${fmtNumber(fraction * 100, digits)}%`;
}

/** A duration in seconds as `3d 4h`, `4h 5m`, `5m 6s` or `6s`. */
export function fmtDuration(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) return '–';
  const s = Math.floor(secs);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** Seconds since the epoch as an ISO-like local-free UTC time (`2026-01-02 03:04:05`). */
export function fmtTime(epochSecs: number): string {
  if (!Number.isFinite(epochSecs) || epochSecs <= 0) return '–';
  return new Date(epochSecs * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** A scalar of a resources object, 0 when absent or not a number. */
export function scalarOf(r: ResourcesJson | undefined, name: string): number {
  const v = r?.[name];
  return typeof v === 'number' ? v : 0;
}

/** Resources as one line: `cpus 1 · mem 512 MB · ports [31000-31009]`. */
export function fmtResources(r: ResourcesJson | undefined): string {
  if (!r) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(r)) {
    if (typeof value === 'number') {
      if (value !== 0) parts.push(`${name} ${fmtScalar(name, value)}`);
    } else if (value !== '' && value !== '[]' && value !== '{}') {
      parts.push(`${name} ${value}`);
    }
  }
  return parts.join(' · ');
}

/** `used / offered / total` of one scalar, for table cells. */
export function fmtUse(name: Scalar, used: number, offered: number, total: number): string {
  return `${fmtScalar(name, used)} / ${fmtScalar(name, offered)} / ${fmtScalar(name, total)}`;
}

/** `TASK_RUNNING` -> `running`. */
export function shortState(state: string): string {
  return state.replace(/^TASK_/, '').toLowerCase();
}
