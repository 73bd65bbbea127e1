// Sums of many tasks' (or offers') resources for the JSON views, without a
// Resources.add per item: the scalars of each (immutable) Resources value are
// read once and cached, and summed in milli-units as Resources does; only
// values holding ranges or sets are merged with Resources.add.
import { Resources } from '@mesocosm/protocol';
import type { ResourcesJson } from './state-json.js';

/** The scalars the cluster totals count, in the order of {@link totalsVector}. */
export const TOTAL_SCALARS = ['cpus', 'mem', 'disk', 'gpus'] as const;

/** Scalars by name (milli-units, summed over roles) and whether ranges or sets are present. */
interface Parts {
  readonly scalars: ReadonlyArray<readonly [string, number]>;
  readonly other: boolean;
  /** {@link TOTAL_SCALARS} in milli-units. */
  readonly totals: Float64Array;
}

const cache = new WeakMap<Resources, Parts>();

function partsOf(r: Resources): Parts {
  let parts = cache.get(r);
  if (!parts) {
    const scalars: [string, number][] = [];
    let other = false;
    for (const [name, value] of Object.entries(r.toJSON())) {
      if (typeof value === 'number') scalars.push([name, Math.round(value * 1000)]);
      else other = true;
    }
    const totals = new Float64Array(TOTAL_SCALARS.length);
    for (const [name, m] of scalars) {
      const i = (TOTAL_SCALARS as readonly string[]).indexOf(name);
      if (i >= 0) totals[i] = m;
    }
    parts = { scalars, other, totals };
    cache.set(r, parts);
  }
  return parts;
}

/** cpus, mem, disk and gpus of `r` (summed over roles) in milli-units, cached: do not modify. */
export function totalsVector(r: Resources): Float64Array {
  return partsOf(r).totals;
}

/** The JSON form (`Resources.toJSON`) of the sum of `list`. */
export function sumJson(list: Iterable<Resources>): ResourcesJson {
  const milli = new Map<string, number>();
  let other = Resources.EMPTY;
  for (const r of list) {
    const parts = partsOf(r);
    for (const [name, m] of parts.scalars) milli.set(name, (milli.get(name) ?? 0) + m);
    if (parts.other) other = other.add(r);
  }
  const out: ResourcesJson = {};
  for (const [name, m] of milli) if (m !== 0) out[name] = m / 1000;
  for (const [name, value] of Object.entries(other.toJSON())) if (typeof value === 'string') out[name] = value;
  return out;
}

/** The JSON form of what `tasks` hold. */
export function usedJson(tasks: Iterable<{ resources: Resources }>): ResourcesJson {
  const list: Resources[] = [];
  for (const t of tasks) list.push(t.resources);
  return sumJson(list);
}
