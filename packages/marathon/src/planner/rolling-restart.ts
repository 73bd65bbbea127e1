// One decision of a rolling restart (RestartApplication): replace every
// instance of an old config with one of the target config, never dropping
// below minHealthy healthy instances and never exceeding maxCapacity in all.
// Stateless: called again after every change, it picks up where things are,
// which also makes it survive a failover.

import type { AppDefinition } from '../model/app-definition.js';
import { upgradeBounds } from './capacity.js';
import type { Decision } from './decision.js';
import { configVersion, isAvailable, isHealthy, killOrder, type InstanceView } from './instance.js';

/** The counts a restart decision was based on, for status pages and tests. */
export interface RestartSnapshot {
  readonly minHealthy: number;
  readonly maxCapacity: number;
  readonly old: number;
  readonly fresh: number;
  readonly healthy: number;
  readonly total: number;
}

/** A restart decision with the counts behind it. */
export interface RestartDecision extends Decision {
  readonly snapshot: RestartSnapshot;
}

/**
 * Decides the next kills and launches for replacing `instances` by
 * `target.instances` instances of the target config.
 *
 * - Old instances that are not healthy go first: killing them costs no capacity.
 * - A healthy old instance is killed only while the healthy count stays at or
 *   above minHealthy; new ones count once healthy and ready. With
 *   minimumHealthCapacity 0 every old instance goes at once.
 * - New instances are launched while the total (instances being killed
 *   included) stays within maxCapacity.
 * - Done when only target-config instances remain, as many as wanted, all
 *   healthy and ready.
 */
export function restartDecision(target: AppDefinition, instances: readonly InstanceView[]): RestartDecision {
  const want = target.instances;
  const version = configVersion(target);
  const { minHealthy, maxCapacity } = upgradeBounds(want, target.upgradeStrategy);
  const live = instances.filter((i) => i.phase !== 'killing');
  const old = live.filter((i) => i.version !== version);
  const fresh = live.filter((i) => i.version === version);
  const counts = (i: InstanceView): boolean => (i.version === version ? isAvailable(target, i) : isHealthy(target, i));
  let healthy = live.filter(counts).length;

  const kill: string[] = [];
  // Surplus new instances (left by an earlier, interrupted deployment).
  for (const i of killOrder(target, fresh).slice(0, Math.max(0, fresh.length - want))) {
    if (counts(i) && healthy - 1 < minHealthy) continue;
    if (counts(i)) healthy -= 1;
    kill.push(i.id);
  }
  for (const i of killOrder(target, old)) {
    if (!counts(i)) kill.push(i.id);
    else if (healthy - 1 >= minHealthy) {
      healthy -= 1;
      kill.push(i.id);
    }
  }
  const total = instances.length;
  const freshKept = fresh.length - kill.filter((id) => fresh.some((f) => f.id === id)).length;
  const start = Math.max(0, Math.min(want - freshKept, maxCapacity - total));
  const availableNew = fresh.filter((i) => isAvailable(target, i)).length;
  const done = old.length === 0 && instances.length === live.length && fresh.length === want && availableNew === want;
  const snapshot: RestartSnapshot = {
    minHealthy,
    maxCapacity,
    old: old.length,
    fresh: fresh.length,
    healthy: live.filter(counts).length,
    total,
  };
  const decision = { kill, start, done, snapshot };
  if (done || kill.length > 0 || start > 0) return decision;
  return { ...decision, waiting: restartWaiting(snapshot, want, instances.length - live.length) };
}

function restartWaiting(s: RestartSnapshot, want: number, killing: number): string {
  if (killing > 0) return `waiting for ${killing} instance(s) to finish being killed`;
  if (s.fresh > 0 && s.healthy < s.fresh + s.old) {
    return `waiting for new instances to become healthy and ready (${s.healthy} of ${s.minHealthy} needed healthy)`;
  }
  if (s.total >= s.maxCapacity) return `at maximum capacity (${s.total} of ${s.maxCapacity})`;
  return `waiting for ${want - s.fresh} instance(s) to launch`;
}
