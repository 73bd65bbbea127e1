// Fixed-size vectors of the scalars that fairness is computed over, in integer
// thousandths (the unit protocol's Resources uses), so that incremental
// add/subtract over millions of calls never drifts.
import type { Resources } from '@mesocosm/protocol';

/** The scalar resources a dominant share is taken over. */
export const SHARE_RESOURCES = ['cpus', 'mem', 'disk', 'gpus'] as const;

/** Amounts of {@link SHARE_RESOURCES}, in thousandths, index-aligned. @internal */
export type ScalarVector = number[];

/** A zero vector. @internal */
export function zeroVector(): ScalarVector {
  return [0, 0, 0, 0];
}

/** The share-relevant scalars of `r` (summed over reservation roles). @internal */
export function vectorOf(r: Resources): ScalarVector {
  return SHARE_RESOURCES.map((name) => Math.round(r.scalar(name) * 1000));
}

/** `target += sign * delta`, in place. @internal */
export function addInto(target: ScalarVector, delta: ScalarVector, sign: 1 | -1 = 1): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) + sign * (delta[i] ?? 0);
}

/** True when every component is zero. @internal */
export function isZero(v: ScalarVector): boolean {
  return v.every((x) => x === 0);
}

/** max over resources of allocated / total, skipping resources the cluster has none of. @internal */
export function dominantShare(allocated: ScalarVector, totals: ScalarVector): number {
  let share = 0;
  for (let i = 0; i < totals.length; i++) {
    const total = totals[i] ?? 0;
    if (total > 0) share = Math.max(share, (allocated[i] ?? 0) / total);
  }
  return share;
}

/** Smallest offer worth making (Mesos' min allocatable resources): some cpus or some memory. */
export interface MinAllocatable {
  /** cpus, default 0.01. */
  readonly cpus: number;
  /** mem in MB, default 32. */
  readonly mem: number;
}

/** Mesos' defaults. */
export const DEFAULT_MIN_ALLOCATABLE: MinAllocatable = { cpus: 0.01, mem: 32 };

/** Whether a vector holds enough cpus or mem to be offered. @internal */
export function isAllocatable(v: ScalarVector, min: MinAllocatable): boolean {
  return (v[0] ?? 0) >= Math.round(min.cpus * 1000) || (v[1] ?? 0) >= Math.round(min.mem * 1000);
}
