// Typed readers over untrusted job JSON. Each returns a usable value (the
// default when the field is absent or wrong) and records what was wrong, so
// that one pass reports every problem. `null` counts as absent, as in Chronos.
import type { JobProblem } from '../errors.js';

/** Accumulates problems in the order found. */
export class Problems {
  readonly list: JobProblem[] = [];

  add(field: string, message: string): void {
    if (!this.list.some((p) => p.field === field && p.message === message)) this.list.push({ field, message });
  }

  /** Runs `fn`; an error it throws becomes a problem of `field` (its own field when it names one). */
  guard<T>(field: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      const e = err as Error & { field?: unknown };
      const own = typeof e.field === 'string' ? e.field : field;
      const prefix = `${own}: `;
      this.add(own, e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message);
      return undefined;
    }
  }
}

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short name for the JSON type of `value`, for messages. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** True when `key` is present and not null. */
export function has(obj: JsonObject, key: string): boolean {
  return obj[key] !== undefined && obj[key] !== null;
}

/** A string field; `fallback` when absent or not a string. */
export function readString(obj: JsonObject, key: string, p: Problems, fallback = '', field = key): string {
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') {
    p.add(field, `must be a string, got ${jsonType(v)}`);
    return fallback;
  }
  return v;
}

/** A boolean field (Chronos also reads "true"/"false" strings). */
export function readBoolean(obj: JsonObject, key: string, p: Problems, fallback: boolean, field = key): boolean {
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  p.add(field, `must be true or false, got ${jsonType(v)}`);
  return fallback;
}

/**
 * A non-negative number; numeric strings are accepted (Chronos' own docs write
 * `"cpus": "0.5"`). With `zeroMeansDefault`, 0 gives `fallback`, as Chronos
 * does for cpus, mem and disk.
 */
export function readNumber(
  obj: JsonObject,
  key: string,
  p: Problems,
  fallback: number,
  options: { integer?: boolean; zeroMeansDefault?: boolean; field?: string } = {},
): number {
  const field = options.field ?? key;
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) {
    p.add(field, `must be a number, got ${typeof v === 'string' ? `'${v}'` : jsonType(v)}`);
    return fallback;
  }
  if (n < 0) {
    p.add(field, `must be 0 or more, got ${n}`);
    return fallback;
  }
  if (options.integer && !Number.isInteger(n)) {
    p.add(field, `must be a whole number, got ${n}`);
    return fallback;
  }
  return n === 0 && options.zeroMeansDefault ? fallback : n;
}

/** An array field whose elements `item` reads (recording problems as `field[i]`). */
export function readArray<T>(
  obj: JsonObject,
  key: string,
  p: Problems,
  item: (value: unknown, field: string) => T | undefined,
  field = key,
): T[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    p.add(field, `must be an array, got ${jsonType(v)}`);
    return [];
  }
  const out: T[] = [];
  v.forEach((element, i) => {
    const read = item(element, `${field}[${i}]`);
    if (read !== undefined) out.push(read);
  });
  return out;
}

/** An element reader for arrays of strings. */
export function stringItem(p: Problems): (value: unknown, field: string) => string | undefined {
  return (value, field) => {
    if (typeof value === 'string') return value;
    p.add(field, `must be a string, got ${jsonType(value)}`);
    return undefined;
  };
}
