// Seeded randomness for the fuzz runs: a small PRNG (mulberry32), the values
// that break code most often (empty, huge, path tricks, NUL, NaN, ...), and a
// mutator that changes a valid message in a few random places. The seed and
// the budget come from MESOCOSM_FUZZ_SEED and MESOCOSM_FUZZ_CALLS, so that a
// failing run can be replayed exactly.

/** The seed of this run (printed by each fuzz test). */
export const FUZZ_SEED = Number(process.env['MESOCOSM_FUZZ_SEED'] ?? 20_260_808) >>> 0;
/** Calls per fuzz target. */
export const FUZZ_CALLS = Math.max(1, Number(process.env['MESOCOSM_FUZZ_CALLS'] ?? 2000));

/** A seeded random source. */
export class Rand {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(items.length)] as T;
  }

  /** Printable ASCII of length [0, max]. */
  ascii(max = 16): string {
    let s = '';
    for (let i = this.int(max + 1); i > 0; i--) s += String.fromCharCode(32 + this.int(95));
    return s;
  }

  /** Any code units, control characters and lone surrogates included. */
  units(max = 16): string {
    let s = '';
    for (let i = this.int(max + 1); i > 0; i--) s += String.fromCharCode(this.int(0x10000));
    return s;
  }

  /** A string that tends to break parsers and limits. */
  nastyString(known: readonly string[] = []): string {
    switch (this.int(14)) {
      case 0:
        return '';
      case 1:
        return 'x'.repeat(256); // over an ID
      case 2:
        return 'n'.repeat(1025); // over a name
      case 3:
        return 't'.repeat(70_000); // over a text value
      case 4:
        return this.pick(['..', '../../etc/passwd', '/', '/etc/passwd', '%2e%2e%2f', '.', './x', '\\..\\']);
      case 5:
        return `a\u0000b`;
      case 6:
        return this.pick(['*', '-role', 'role/', '/role', 'a b', 'é☃😀', '\n', '\t', ';', '$(id)', '`id`', '"\'']);
      case 7:
        return this.units(12);
      case 8:
      case 9:
        return known.length > 0 ? this.pick(known) : this.ascii(12);
      default:
        return this.ascii(this.int(3) === 0 ? 64 : 12);
    }
  }

  /** A number that tends to break arithmetic. */
  nastyNumber(): number {
    return this.pick([0, -1, 1, 0.001, 0.5, 2.75, 1e9, 1e308, Number.NaN, Infinity, -Infinity, 2 ** 53, 65_536, 4e9]);
  }
}

/** A value's type, to keep mutations encodable (a string stays a string). */
function kindOf(v: unknown): 'string' | 'number' | 'boolean' | 'bytes' | 'array' | 'object' | 'other' {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'array';
  if (v !== null && typeof v === 'object') return 'object';
  return 'other';
}

/** A rough size of `value` in bytes, counted up to `limit` (then `limit + 1`). */
export function roughSize(value: unknown, limit: number): number {
  let total = 0;
  const walk = (v: unknown): void => {
    if (total > limit) return;
    if (typeof v === 'string') total += v.length;
    else if (v instanceof Uint8Array) total += v.length;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
    else total += 8;
  };
  walk(value);
  return Math.min(total, limit + 1);
}

/** Every path to a leaf or a container in `value` (object keys and array indexes). */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (kindOf(value) === 'object')
    for (const [k, v] of Object.entries(value as object)) paths(v, [...prefix, k], out);
  return out;
}

/**
 * A deep copy of `value` with 1-3 random changes, each keeping the changed
 * value's kind (strings become nasty strings, numbers nasty numbers, arrays
 * lose, repeat or multiply entries, objects lose a field). `known` are
 * strings worth trying (real IDs).
 */
export function mutate<T>(rand: Rand, value: T, known: readonly string[] = [], anyKind = false): T {
  const copy = structuredClone(value);
  for (let n = 1 + rand.int(3); n > 0; n--) {
    const all = paths(copy);
    if (all.length === 0) break;
    const path = rand.pick(all);
    const key = path[path.length - 1] as string | number;
    let parent: unknown = copy;
    for (const p of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[p];
    const holder = parent as Record<string | number, unknown>;
    const old = holder[key];
    if (anyKind && rand.chance(0.4)) {
      // JSON has no types to keep: any value may stand anywhere.
      holder[key] = wildJson(rand, 2, known);
      continue;
    }
    switch (kindOf(old)) {
      case 'string':
        holder[key] = rand.nastyString(known);
        break;
      case 'number':
        holder[key] = rand.nastyNumber();
        break;
      case 'boolean':
        holder[key] = !old;
        break;
      case 'bytes':
        holder[key] = rand.chance(0.5) ? new Uint8Array(0) : new Uint8Array(rand.pick([1, 16, 65, 2 * 1024 * 1024]));
        break;
      case 'array': {
        const arr = old as unknown[];
        const r = rand.int(3);
        if (r === 0 || arr.length === 0) holder[key] = [];
        else if (r === 1) holder[key] = [...arr, ...arr];
        else {
          // Many entries (over the count bounds), sharing one value: no further change after this one.
          holder[key] = Array.from({ length: rand.pick([2, 50, 1100]) }, () => arr[0]);
          return copy;
        }
        break;
      }
      case 'object': {
        const keys = Object.keys(old as object);
        if (keys.length > 0) delete (old as Record<string, unknown>)[rand.pick(keys)];
        else holder[key] = null;
        break;
      }
      default:
        if (Array.isArray(holder)) holder.splice(Number(key), 1);
        else delete holder[key];
    }
  }
  return copy;
}

/** A short JSON picture of a fuzzed message for failure messages (long strings and bytes summarised). */
export function brief(value: unknown, max = 600): string {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'string' && v.length > 40) return `<${v.length} chars>`;
    if (v instanceof Uint8Array) return `<${v.length} bytes>`;
    if (Array.isArray(v) && v.length > 5) return [...v.slice(0, 2), `<${v.length} entries>`];
    return v;
  });
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** Any JSON value, nested up to `depth`, with nasty strings and numbers (non-finite ones become null in JSON). */
export function wildJson(rand: Rand, depth: number, known: readonly string[] = []): unknown {
  switch (rand.int(depth > 0 ? 7 : 5)) {
    case 0:
      return null;
    case 1:
      return rand.chance(0.5);
    case 2:
      return rand.nastyNumber();
    case 3:
    case 4:
      return rand.nastyString(known);
    case 5:
      return Array.from({ length: rand.int(4) }, () => wildJson(rand, depth - 1, known));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rand.int(4); i > 0; i--) out[rand.nastyString(known)] = wildJson(rand, depth - 1, known);
      return out;
    }
  }
}
