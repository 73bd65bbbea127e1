// Resource arithmetic, in one place for every package.
//
// Scalars are held as integer thousandths (Mesos' fixed-point convention), so
// that 0.1 + 0.2 cpus is exactly 0.3 and repeated add/subtract never drifts.
// Ranges are inclusive [begin, end] pairs kept sorted and coalesced. A
// resource is keyed by (name, role); "*" is the unreserved role.
import { ResourceParseError, ValidationError, MesocosmError } from './errors.js';
import { mesocosm } from './generated/proto.js';

type IResource = mesocosm.v1.IResource;
const ValueType = mesocosm.v1.Value.Type;

/** The role of unreserved resources. */
export const UNRESERVED_ROLE = '*';

/** An inclusive range of integers, e.g. ports 31000-32000. */
export type Range = readonly [begin: number, end: number];

type Entry =
  | { readonly kind: 'scalar'; readonly name: string; readonly role: string; readonly milli: number }
  | { readonly kind: 'ranges'; readonly name: string; readonly role: string; readonly ranges: readonly Range[] }
  | { readonly kind: 'set'; readonly name: string; readonly role: string; readonly items: ReadonlySet<string> };

const SCALE = 1000;
const MAX_SCALAR = Number.MAX_SAFE_INTEGER / SCALE;

function toMilli(value: number, field: string): number {
  if (!Number.isFinite(value))
    throw new ValidationError(field, `scalar must be a finite number, got ${value}`, 'INVALID_RESOURCE');
  if (value < 0) throw new ValidationError(field, `scalar must not be negative, got ${value}`, 'INVALID_RESOURCE');
  if (value > MAX_SCALAR) throw new ValidationError(field, `scalar ${value} is too large`, 'INVALID_RESOURCE');
  return Math.round(value * SCALE);
}

function normaliseRole(role: string | null | undefined): string {
  return role && role !== '' ? role : UNRESERVED_ROLE;
}

function keyOf(name: string, role: string): string {
  return `${name}\u0000${role}`;
}

/** Sorts and merges overlapping or adjacent ranges. */
export function coalesceRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [b, e] of sorted) {
    const last = out[out.length - 1];
    if (last && b <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([b, e]);
  }
  return out;
}

function rangesContain(outer: readonly Range[], inner: readonly Range[]): boolean {
  return inner.every(([b, e]) => outer.some(([ob, oe]) => ob <= b && e <= oe));
}

function subtractRanges(from: readonly Range[], minus: readonly Range[]): Range[] {
  let current: Range[] = [...from];
  for (const [mb, me] of minus) {
    const next: Range[] = [];
    for (const [b, e] of current) {
      if (me < b || mb > e) {
        next.push([b, e]);
        continue;
      }
      if (b < mb) next.push([b, mb - 1]);
      if (me < e) next.push([me + 1, e]);
    }
    current = next;
  }
  return current;
}

function rangesSize(ranges: readonly Range[]): number {
  return ranges.reduce((n, [b, e]) => n + (e - b + 1), 0);
}

function entryFromProto(r: IResource, index: number): Entry {
  const field = `resources[${index}]`;
  const name = r.name ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
    throw new ValidationError(`${field}.name`, `'${name}' is not a valid resource name`, 'INVALID_RESOURCE');
  }
  const role = normaliseRole(r.role);
  switch (r.type ?? ValueType.SCALAR) {
    case ValueType.SCALAR: {
      if (r.scalar == null)
        throw new ValidationError(`${field}.scalar`, `scalar resource '${name}' has no value`, 'INVALID_RESOURCE');
      return { kind: 'scalar', name, role, milli: toMilli(r.scalar.value ?? 0, `${field}.scalar`) };
    }
    case ValueType.RANGES: {
      const ranges = (r.ranges?.range ?? []).map((x, i): Range => {
        const b = Number(x.begin ?? 0);
        const e = Number(x.end ?? 0);
        if (!Number.isSafeInteger(b) || !Number.isSafeInteger(e) || b < 0 || e < b) {
          throw new ValidationError(
            `${field}.ranges[${i}]`,
            `invalid range [${b}-${e}] for '${name}'`,
            'INVALID_RESOURCE',
          );
        }
        return [b, e];
      });
      return { kind: 'ranges', name, role, ranges: coalesceRanges(ranges) };
    }
    case ValueType.SET:
      return { kind: 'set', name, role, items: new Set(r.set?.item ?? []) };
    default:
      throw new ValidationError(
        `${field}.type`,
        `unsupported resource type ${String(r.type)} for '${name}'`,
        'INVALID_RESOURCE',
      );
  }
}

function isEmptyEntry(e: Entry): boolean {
  switch (e.kind) {
    case 'scalar':
      return e.milli === 0;
    case 'ranges':
      return e.ranges.length === 0;
    case 'set':
      return e.items.size === 0;
  }
}

function addEntries(a: Entry, b: Entry): Entry {
  if (a.kind === 'scalar' && b.kind === 'scalar') return { ...a, milli: a.milli + b.milli };
  if (a.kind === 'ranges' && b.kind === 'ranges') return { ...a, ranges: coalesceRanges([...a.ranges, ...b.ranges]) };
  if (a.kind === 'set' && b.kind === 'set') return { ...a, items: new Set([...a.items, ...b.items]) };
  throw new ValidationError('resources', `resource '${a.name}' is both ${a.kind} and ${b.kind}`, 'INVALID_RESOURCE');
}

function entryContains(a: Entry, b: Entry): boolean {
  if (a.kind === 'scalar' && b.kind === 'scalar') return a.milli >= b.milli;
  if (a.kind === 'ranges' && b.kind === 'ranges') return rangesContain(a.ranges, b.ranges);
  if (a.kind === 'set' && b.kind === 'set') return [...b.items].every((i) => a.items.has(i));
  return false;
}

function subtractEntries(a: Entry, b: Entry): Entry {
  if (a.kind === 'scalar' && b.kind === 'scalar') return { ...a, milli: a.milli - b.milli };
  if (a.kind === 'ranges' && b.kind === 'ranges') return { ...a, ranges: subtractRanges(a.ranges, b.ranges) };
  if (a.kind === 'set' && b.kind === 'set')
    return { ...a, items: new Set([...a.items].filter((i) => !b.items.has(i))) };
  throw new ValidationError('resources', `resource '${a.name}' is both ${a.kind} and ${b.kind}`, 'INVALID_RESOURCE');
}

function formatEntry(e: Entry): string {
  const name = e.role === UNRESERVED_ROLE ? e.name : `${e.name}(${e.role})`;
  switch (e.kind) {
    case 'scalar':
      return `${name}:${e.milli / SCALE}`;
    case 'ranges':
      return `${name}:[${e.ranges.map(([b, x]) => (b === x ? `${b}` : `${b}-${x}`)).join(',')}]`;
    case 'set':
      return `${name}:{${[...e.items].sort().join(',')}}`;
  }
}

/** What a request lacks against an offer or a pool: one line per resource. */
export interface Shortfall {
  readonly name: string;
  readonly role: string;
  /** Scalars: the amount asked and the amount available; ranges: counts of values. */
  readonly requested: number;
  readonly available: number;
}

/**
 * An immutable bag of resources. Every operation returns a new value.
 *
 * @example
 * const total = Resources.parse('cpus:4;mem:8192;ports:[31000-32000]');
 * const task = Resources.parse('cpus:0.5;mem:128');
 * total.contains(task); // true
 * total.subtract(task).scalar('cpus'); // 3.5
 */
export class Resources {
  private constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  /** No resources. */
  static readonly EMPTY = new Resources(new Map());

  private static of(list: Iterable<Entry>): Resources {
    const map = new Map<string, Entry>();
    for (const e of list) {
      const key = keyOf(e.name, e.role);
      const prev = map.get(key);
      const next = prev ? addEntries(prev, e) : e;
      if (isEmptyEntry(next)) map.delete(key);
      else map.set(key, next);
    }
    return new Resources(map);
  }

  /** Validates and merges wire resources; throws a {@link ValidationError} naming the bad entry. */
  static fromProto(list: readonly IResource[] | null | undefined): Resources {
    return Resources.of((list ?? []).map((r, i) => entryFromProto(r, i)));
  }

  /**
   * Parses Mesos' resource syntax: `cpus:4;mem:8192;ports:[31000-32000];disk(ops):100;zones:{a,b}`.
   * `defaultRole` applies to entries without `(role)`.
   */
  static parse(text: string, defaultRole: string = UNRESERVED_ROLE): Resources {
    const parts = text
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return Resources.of(
      parts.map((part): Entry => {
        const m = /^([A-Za-z_][A-Za-z0-9_.-]*)(?:\(([^()]+)\))?\s*:\s*(.+)$/.exec(part);
        if (!m) throw new ResourceParseError(part, "expected 'name:value' or 'name(role):value'");
        const name = m[1] ?? '';
        const role = normaliseRole(m[2] ?? defaultRole);
        const value = (m[3] ?? '').trim();
        if (value.startsWith('[')) {
          if (!value.endsWith(']')) throw new ResourceParseError(part, "a range list must end with ']'");
          const ranges = value
            .slice(1, -1)
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
            .map((s): Range => {
              const r = /^(\d+)\s*(?:-\s*(\d+))?$/.exec(s);
              if (!r) throw new ResourceParseError(part, `'${s}' is not a range like 31000-32000`);
              const b = Number(r[1]);
              const e = r[2] === undefined ? b : Number(r[2]);
              if (e < b) throw new ResourceParseError(part, `range ${s} ends before it begins`);
              return [b, e];
            });
          return { kind: 'ranges', name, role, ranges: coalesceRanges(ranges) };
        }
        if (value.startsWith('{')) {
          if (!value.endsWith('}')) throw new ResourceParseError(part, "a set must end with '}'");
          const items = value
            .slice(1, -1)
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
          return { kind: 'set', name, role, items: new Set(items) };
        }
        if (!/^-?\d+(\.\d+)?$/.test(value)) throw new ResourceParseError(part, `'${value}' is not a number`);
        const n = Number(value);
        if (n < 0) throw new ResourceParseError(part, 'a scalar must not be negative');
        return { kind: 'scalar', name, role, milli: toMilli(n, 'resources') };
      }),
    );
  }

  /** A scalar resource, e.g. `Resources.scalar('cpus', 0.5)`. */
  static scalar(name: string, value: number, role: string = UNRESERVED_ROLE): Resources {
    return Resources.of([{ kind: 'scalar', name, role: normaliseRole(role), milli: toMilli(value, name) }]);
  }

  /** A ranges resource, e.g. `Resources.ranges('ports', [[31000, 31000]])`. */
  static ranges(name: string, ranges: readonly Range[], role: string = UNRESERVED_ROLE): Resources {
    return Resources.of([{ kind: 'ranges', name, role: normaliseRole(role), ranges: coalesceRanges(ranges) }]);
  }

  /** The wire form. */
  toProto(): IResource[] {
    return [...this.entries.values()].map((e): IResource => {
      const base = { name: e.name, role: e.role };
      switch (e.kind) {
        case 'scalar':
          return { ...base, type: ValueType.SCALAR, scalar: { value: e.milli / SCALE } };
        case 'ranges':
          return {
            ...base,
            type: ValueType.RANGES,
            ranges: { range: e.ranges.map(([b, x]) => ({ begin: b, end: x })) },
          };
        case 'set':
          return { ...base, type: ValueType.SET, set: { item: [...e.items].sort() } };
      }
    });
  }

  isEmpty(): boolean {
    return this.entries.size === 0;
  }

  add(other: Resources): Resources {
    return Resources.of([...this.entries.values(), ...other.entries.values()]);
  }

  /** True when every resource of `other` (name and role) is here in at least that amount. */
  contains(other: Resources): boolean {
    for (const [key, need] of other.entries) {
      const have = this.entries.get(key);
      if (!have || !entryContains(have, need)) return false;
    }
    return true;
  }

  /** `this - other`; throws INSUFFICIENT_RESOURCES unless `this.contains(other)`. */
  subtract(other: Resources): Resources {
    if (!this.contains(other)) {
      throw new MesocosmError('INSUFFICIENT_RESOURCES', `cannot subtract ${other.toString()} from ${this.toString()}`);
    }
    const map = new Map(this.entries);
    for (const [key, minus] of other.entries) {
      const have = map.get(key);
      if (!have) continue;
      const next = subtractEntries(have, minus);
      if (isEmptyEntry(next)) map.delete(key);
      else map.set(key, next);
    }
    return new Resources(map);
  }

  /** The sum of scalar `name` over the given role, or over all roles when `role` is undefined. */
  scalar(name: string, role?: string): number {
    let milli = 0;
    for (const e of this.entries.values()) {
      if (e.kind === 'scalar' && e.name === name && (role === undefined || e.role === normaliseRole(role)))
        milli += e.milli;
    }
    return milli / SCALE;
  }

  /** The ranges of `name`, coalesced over the given role or all roles. */
  ranges(name: string, role?: string): Range[] {
    const all: Range[] = [];
    for (const e of this.entries.values()) {
      if (e.kind === 'ranges' && e.name === name && (role === undefined || e.role === normaliseRole(role)))
        all.push(...e.ranges);
    }
    return coalesceRanges(all);
  }

  /** Names of the scalar resources present. */
  scalarNames(): string[] {
    return [...new Set([...this.entries.values()].filter((e) => e.kind === 'scalar').map((e) => e.name))];
  }

  /** Roles that appear, "*" included when unreserved resources are present. */
  roles(): string[] {
    return [...new Set([...this.entries.values()].map((e) => e.role))];
  }

  /** Only the resources a framework in `role` may use: unreserved ones and those reserved for `role`. */
  allocatableTo(role: string): Resources {
    return this.filter((e) => e.role === UNRESERVED_ROLE || e.role === role);
  }

  /** Only the resources reserved for `role` ("*" for the unreserved ones). */
  reservedFor(role: string): Resources {
    return this.filter((e) => e.role === normaliseRole(role));
  }

  /** The same resources with every role replaced by `role` (e.g. unreserved, to compare quantities). */
  withRole(role: string): Resources {
    return Resources.of([...this.entries.values()].map((e) => ({ ...e, role: normaliseRole(role) })));
  }

  private filter(pred: (e: { name: string; role: string }) => boolean): Resources {
    return new Resources(new Map([...this.entries].filter(([, e]) => pred(e))));
  }

  /** What `request` asks for beyond what is here, per resource. Empty when `this.contains(request)`. */
  shortfall(request: Resources): Shortfall[] {
    const out: Shortfall[] = [];
    for (const [key, need] of request.entries) {
      const have = this.entries.get(key);
      if (have && entryContains(have, need)) continue;
      if (need.kind === 'scalar') {
        out.push({
          name: need.name,
          role: need.role,
          requested: need.milli / SCALE,
          available: have?.kind === 'scalar' ? have.milli / SCALE : 0,
        });
      } else if (need.kind === 'ranges') {
        out.push({
          name: need.name,
          role: need.role,
          requested: rangesSize(need.ranges),
          available: have?.kind === 'ranges' ? rangesSize(have.ranges) : 0,
        });
      } else {
        out.push({
          name: need.name,
          role: need.role,
          requested: need.items.size,
          available: have?.kind === 'set' ? have.items.size : 0,
        });
      }
    }
    return out;
  }

  equals(other: Resources): boolean {
    return this.contains(other) && other.contains(this);
  }

  /** Mesos' text form, e.g. `cpus:4;mem:8192;ports:[31000-32000]`. */
  toString(): string {
    return [...this.entries.values()].map(formatEntry).join(';');
  }

  /** A plain JSON summary for state endpoints: scalars by name, ranges as Mesos' string form. */
  toJSON(): Record<string, number | string> {
    const out: Record<string, number | string> = {};
    for (const e of this.entries.values()) {
      if (e.kind === 'scalar')
        out[e.name] = (typeof out[e.name] === 'number' ? (out[e.name] as number) : 0) + e.milli / SCALE;
      else if (e.kind === 'ranges')
        out[e.name] = `[${this.ranges(e.name)
          .map(([b, x]) => `${b}-${x}`)
          .join(', ')}]`;
      else out[e.name] = `{${[...e.items].sort().join(',')}}`;
    }
    return out;
  }
}
