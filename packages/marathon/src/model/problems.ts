// Collects every validation problem of a request body, keyed by Marathon-style
// JSON paths (`/cpus`, `/healthChecks(0)/portIndex`), so that a 422 names all of
// them at once instead of only the first.

/** One entry of Marathon's 422 `details` array. */
export interface ErrorDetail {
  readonly path: string;
  readonly errors: readonly string[];
}

/** Accumulates problems in the order they were found. */
export class Problems {
  private readonly byPath = new Map<string, string[]>();

  /** Records `message` against `path` ('' stands for the whole object and is shown as '/'). */
  add(path: string, message: string): void {
    const key = path === '' ? '/' : path;
    const list = this.byPath.get(key);
    if (list === undefined) this.byPath.set(key, [message]);
    else if (!list.includes(message)) list.push(message);
  }

  /** How many messages were recorded so far. */
  get count(): number {
    let n = 0;
    for (const list of this.byPath.values()) n += list.length;
    return n;
  }

  /** True when nothing was recorded. */
  get empty(): boolean {
    return this.byPath.size === 0;
  }

  /** Copies every problem of `other`, its paths put under `prefix` (e.g. `/apps(0)`). */
  merge(other: Problems, prefix = ''): void {
    for (const [path, errors] of other.byPath) {
      for (const e of errors) this.add(prefix === '' ? path : path === '/' ? prefix : `${prefix}${path}`, e);
    }
  }

  /** Marathon's `details` array. */
  details(): ErrorDetail[] {
    return [...this.byPath].map(([path, errors]) => ({ path, errors: [...errors] }));
  }
}

/** The path of `name` inside the object at `base`. */
export function childPath(base: string, name: string): string {
  return `${base}/${name}`;
}

/** The path of element `index` of the array at `base` (Marathon writes `/apps(0)`). */
export function indexPath(base: string, index: number): string {
  return `${base}(${index})`;
}

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short name for the JSON type of `value`, for messages. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
