// The common part of two resource bags: what recovering or re-adding
// resources may take without ever driving a balance negative.
import { Resources, type IResource } from '@mesocosm/protocol';

function intersectRanges(
  a: ReadonlyArray<readonly [number, number]>,
  b: ReadonlyArray<readonly [number, number]>,
): [number, number][] {
  const out: [number, number][] = [];
  for (const [ab, ae] of a) {
    for (const [bb, be] of b) {
      const lo = Math.max(ab, bb);
      const hi = Math.min(ae, be);
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return out;
}

/**
 * The largest `c` with `a.contains(c) && b.contains(c)`, matched by name and
 * reservation role: scalars take the minimum, ranges and sets their overlap.
 * @internal
 */
export function intersection(a: Resources, b: Resources): Resources {
  if (a.contains(b)) return b;
  if (b.contains(a)) return a;
  const aProto = a.toProto();
  const out: IResource[] = [];
  for (const r of b.toProto()) {
    const name = r.name ?? '';
    const role = r.role ?? undefined;
    if (r.scalar) {
      const value = Math.min(a.scalar(name, role ?? '*'), r.scalar.value ?? 0);
      if (value > 0) out.push({ ...r, scalar: { value } });
    } else if (r.ranges) {
      const mine = (r.ranges.range ?? []).map((x): [number, number] => [Number(x.begin), Number(x.end)]);
      const common = intersectRanges(a.ranges(name, role ?? '*'), mine);
      if (common.length > 0) out.push({ ...r, ranges: { range: common.map(([begin, end]) => ({ begin, end })) } });
    } else if (r.set) {
      const theirs = aProto.find((x) => x.name === name && x.role === r.role && x.set);
      const have = new Set(theirs?.set?.item ?? []);
      const items = (r.set.item ?? []).filter((i) => have.has(i));
      if (items.length > 0) out.push({ ...r, set: { item: items } });
    }
  }
  return Resources.fromProto(out);
}
