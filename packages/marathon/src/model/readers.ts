// Typed field readers over untrusted JSON: each returns a usable value (the
// default when the field is absent or wrong) and records what was wrong, so
// that parsing goes on and reports every problem. `null` counts as absent, as
// in Marathon.

import { Problems, childPath, indexPath, isObject, jsonType } from './problems.js';

/** Bounds of a numeric field. */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

function fmt(n: number, integer: boolean): string {
  return integer || !Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Checks `value` against `bounds`, recording Marathon-style messages ("got -1.0, expected 0.0 or more"). */
export function checkNumber(value: number, path: string, problems: Problems, bounds: NumberBounds): boolean {
  const integer = bounds.integer === true;
  if (!Number.isFinite(value)) {
    problems.add(path, 'must be a finite number');
    return false;
  }
  if (integer && !Number.isInteger(value)) {
    problems.add(path, `got ${value}, expected an integer`);
    return false;
  }
  const { min, max } = bounds;
  if (min !== undefined && max !== undefined && (value < min || value > max)) {
    problems.add(path, `got ${fmt(value, integer)}, expected between ${fmt(min, integer)} and ${fmt(max, integer)}`);
    return false;
  }
  if (min !== undefined && value < min) {
    problems.add(path, `got ${fmt(value, integer)}, expected ${fmt(min, integer)} or more`);
    return false;
  }
  if (max !== undefined && value > max) {
    problems.add(path, `got ${fmt(value, integer)}, expected ${fmt(max, integer)} or less`);
    return false;
  }
  return true;
}

/** Reads an optional number; `undefined` when absent or invalid. */
export function optNumber(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
  bounds: NumberBounds = {},
): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const path = childPath(base, key);
  if (typeof value !== 'number') {
    problems.add(path, `expected a number, got ${jsonType(value)}`);
    return undefined;
  }
  return checkNumber(value, path, problems, bounds) ? value : undefined;
}

/** Reads a number with a default. */
export function readNumber(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
  fallback: number,
  bounds: NumberBounds = {},
): number {
  return optNumber(obj, key, base, problems, bounds) ?? fallback;
}

/** Reads an optional string. */
export function optString(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.add(childPath(base, key), `expected a string, got ${jsonType(value)}`);
    return undefined;
  }
  return value;
}

/** Reads a boolean with a default. */
export function readBool(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
  fallback: boolean,
): boolean {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    problems.add(childPath(base, key), `expected a boolean, got ${jsonType(value)}`);
    return fallback;
  }
  return value;
}

/** Reads an optional array; each element is handed to `each` with its path. */
export function readArray<T>(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
  each: (element: unknown, path: string, index: number) => T | undefined,
): T[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const path = childPath(base, key);
  if (!Array.isArray(value)) {
    problems.add(path, `expected an array, got ${jsonType(value)}`);
    return undefined;
  }
  const out: T[] = [];
  value.forEach((element: unknown, i) => {
    const parsed = each(element, indexPath(path, i), i);
    if (parsed !== undefined) out.push(parsed);
  });
  return out;
}

/** Reads an optional array of strings. */
export function readStringArray(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
): string[] | undefined {
  return readArray(obj, key, base, problems, (element, path) => {
    if (typeof element === 'string') return element;
    problems.add(path, `expected a string, got ${jsonType(element)}`);
    return undefined;
  });
}

/** Reads a string-to-string map (env, labels); absent gives `{}`. */
export function readStringMap(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
): Record<string, string> {
  const value = obj[key];
  if (value === undefined || value === null) return {};
  const path = childPath(base, key);
  if (!isObject(value)) {
    problems.add(path, `expected an object, got ${jsonType(value)}`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') out[name] = v;
    else problems.add(childPath(path, name), `expected a string, got ${jsonType(v)}`);
  }
  return out;
}

/** Reads an optional nested object. */
export function optObject(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
): Record<string, unknown> | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.add(childPath(base, key), `expected an object, got ${jsonType(value)}`);
    return undefined;
  }
  return value;
}

/** Reads an optional string that must be one of `allowed`. */
export function optEnum<T extends string>(
  obj: Record<string, unknown>,
  key: string,
  base: string,
  problems: Problems,
  allowed: readonly T[],
): T | undefined {
  const value = optString(obj, key, base, problems);
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.add(childPath(base, key), `'${value}' is not one of ${allowed.join(', ')}`);
  return undefined;
}
