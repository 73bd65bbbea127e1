// The two bounds of a rolling upgrade, computed as Marathon's TaskReplaceActor
// does: at least ceil(instances x minimumHealthCapacity) healthy, at most
// floor(instances x (1 + maximumOverCapacity)) in total.

import type { UpgradeStrategy } from '../model/app-definition.js';

/** The bounds of one rolling upgrade. */
export interface UpgradeBounds {
  /** Instances that must stay healthy while old ones are killed. */
  readonly minHealthy: number;
  /** Instances (old, new and still being killed) that may exist at once. */
  readonly maxCapacity: number;
}

// Fractions such as 0.7 are not exact in binary: 10 x 0.7 must be 7, not 6.999...
const EPSILON = 1e-9;

/**
 * The bounds for `instances` under `strategy`. When they meet (minimumHealthCapacity 1
 * with maximumOverCapacity 0, or a rounding that makes them equal), Marathon
 * allows one instance over capacity so that the upgrade can move at all; so do we.
 */
export function upgradeBounds(instances: number, strategy: UpgradeStrategy): UpgradeBounds {
  const minHealthy = Math.max(0, Math.ceil(instances * strategy.minimumHealthCapacity - EPSILON));
  let maxCapacity = Math.floor(instances * (1 + strategy.maximumOverCapacity) + EPSILON);
  if (instances > 0 && minHealthy >= maxCapacity) maxCapacity = minHealthy + 1;
  return { minHealthy, maxCapacity };
}
