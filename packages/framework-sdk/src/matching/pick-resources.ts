// Picking a task's resources out of what an offer still has.
//
// The master checks that an ACCEPT's task resources are contained in the
// offer, role by role. So a request is never sent as written: each part is
// taken from the offer's own entries (reserved roles first, then "*"), and
// the task carries those entries with their roles.
import { Resources, UNRESERVED_ROLE, ValueType, coalesceRanges } from '@mesocosm/protocol';
import type { IResource, Range, Shortfall } from '@mesocosm/protocol';

/** What {@link pickResources} returns: the picked resources, or what is missing. */
export type PickResult =
  { readonly ok: true; readonly picked: Resources } | { readonly ok: false; readonly shortfall: readonly Shortfall[] };

const SCALE = 1000;

/** Integer thousandths, as `Resources` keeps scalars (so fractional cpus stay exact). */
function milli(value: number): number {
  return Math.round(value * SCALE);
}

function roleOf(r: IResource): string {
  return r.role && r.role !== '' ? r.role : UNRESERVED_ROLE;
}

/**
 * The roles to take `name` from, in preference order: reserved roles (sorted),
 * then unreserved. A request pinned to a role (`cpus(web):1`) uses only that role.
 */
export function candidateRoles(pool: Resources, requestRole: string): string[] {
  if (requestRole !== UNRESERVED_ROLE) return [requestRole];
  const reserved = pool
    .roles()
    .filter((r) => r !== UNRESERVED_ROLE)
    .sort();
  return [...reserved, UNRESERVED_ROLE];
}

function intersectRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const [ab, ae] of a) {
    for (const [bb, be] of b) {
      const lo = Math.max(ab, bb);
      const hi = Math.min(ae, be);
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return coalesceRanges(out);
}

function rangesSize(ranges: readonly Range[]): number {
  return ranges.reduce((n, [b, e]) => n + (e - b + 1), 0);
}

function setItems(pool: Resources, name: string, role: string): Set<string> {
  const entry = pool
    .reservedFor(role)
    .toProto()
    .find((r) => r.name === name && r.type === ValueType.SET);
  return new Set(entry?.set?.item ?? []);
}

function setResource(name: string, items: readonly string[], role: string): Resources {
  return Resources.fromProto([{ name, role, type: ValueType.SET, set: { item: [...items] } }]);
}

/** Picks one request entry from `pool`; returns the picked part and what is still missing. */
function pickEntry(pool: Resources, want: IResource): { picked: Resources; missing?: Shortfall } {
  const name = want.name ?? '';
  const wantRole = roleOf(want);
  const roles = candidateRoles(pool, wantRole);
  let picked = Resources.EMPTY;
  if (want.type === ValueType.RANGES) {
    const wanted = coalesceRanges((want.ranges?.range ?? []).map((r): Range => [Number(r.begin), Number(r.end)]));
    const requested = rangesSize(wanted);
    let left = wanted;
    let available = 0;
    for (const role of roles) {
      const have = pool.ranges(name, role);
      available += rangesSize(intersectRanges(have, wanted));
      const take = intersectRanges(have, left);
      if (take.length === 0) continue;
      picked = picked.add(Resources.ranges(name, take, role));
      left = Resources.ranges(name, left).subtract(Resources.ranges(name, take)).ranges(name);
    }
    if (left.length === 0) return { picked };
    return { picked, missing: { name, role: wantRole, requested, available } };
  }
  if (want.type === ValueType.SET) {
    const left = new Set(want.set?.item ?? []);
    const requested = left.size;
    for (const role of roles) {
      const have = setItems(pool, name, role);
      const take = [...left].filter((i) => have.has(i));
      if (take.length === 0) continue;
      picked = picked.add(setResource(name, take, role));
      for (const i of take) left.delete(i);
    }
    if (left.size === 0) return { picked };
    return { picked, missing: { name, role: wantRole, requested, available: requested - left.size } };
  }
  let need = milli(want.scalar?.value ?? 0);
  const requested = need / SCALE;
  let available = 0;
  for (const role of roles) {
    const have = milli(pool.scalar(name, role));
    available += have;
    const take = Math.min(have, need);
    if (take <= 0) continue;
    picked = picked.add(Resources.scalar(name, take / SCALE, role));
    need -= take;
  }
  if (need === 0) return { picked };
  return { picked, missing: { name, role: wantRole, requested, available: available / SCALE } };
}

/**
 * Takes `request` out of `pool` (an offer's remaining resources), entry by
 * entry, from the pool's own roles: reserved roles first, then unreserved.
 * Request entries without a role (`cpus:1`) may come from any role of the
 * pool; entries with a role (`cpus(web):1`) only from that role.
 *
 * @returns `{ ok: true, picked }` where `pool.contains(picked)` and `picked`
 *   equals `request` once roles are ignored; or `{ ok: false, shortfall }`.
 *
 * @example
 * ```ts
 * const pool = Resources.parse('cpus(web):1;cpus:2;mem:512');
 * const r = pickResources(pool, Resources.parse('cpus:1.5;mem:128'));
 * // r.picked: cpus(web):1;cpus:0.5;mem:128
 * ```
 */
export function pickResources(pool: Resources, request: Resources): PickResult {
  // Pinned entries first, so that "any role" entries do not eat a pinned role's share.
  const wants = request
    .toProto()
    .sort((a, b) => Number(roleOf(a) === UNRESERVED_ROLE) - Number(roleOf(b) === UNRESERVED_ROLE));
  let left = pool;
  let picked = Resources.EMPTY;
  const shortfall: Shortfall[] = [];
  for (const want of wants) {
    const part = pickEntry(left, want);
    if (part.missing) {
      shortfall.push(part.missing);
      continue;
    }
    left = left.subtract(part.picked);
    picked = picked.add(part.picked);
  }
  return shortfall.length > 0 ? { ok: false, shortfall } : { ok: true, picked };
}
