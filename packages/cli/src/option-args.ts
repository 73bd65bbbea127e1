// Glue between the pure flag parsers and commander.
import { InvalidArgumentError } from 'commander';

/** Wraps a pure parser so that commander reports its message as a bad argument (exit 2). */
export function arg<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/** Commander's parsed options, by attribute name (`--http_port` → `http_port`). */
export type Raw = Record<string, unknown>;

/** One parsed option, typed by the caller (the parser attached to it decides the type). */
export function pick<T>(raw: Raw, key: string): T | undefined {
  return raw[key] as T | undefined;
}

/** `{ [key]: value }`, or `{}` when `value` is undefined (so that absent flags add no key). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
