// Host ports for a task, picked from an offer's `ports` ranges.
import { Resources } from '@mesocosm/protocol';
import type { IResource } from '@mesocosm/protocol';
import { candidateRoles } from './pick-resources.js';

/** Ports picked by {@link assignPorts}. */
export interface PortAssignment {
  /** The `ports` resources to add to the task, with the roles they were offered under. */
  readonly resources: Resources;
  /** The port numbers, in the order they were picked (lowest first, reserved roles first). */
  readonly ports: readonly number[];
}

/**
 * Picks `count` host ports out of the `ports` ranges of `offerResources`
 * (an offer's resources, or what is left of them after other tasks).
 * Reserved roles are used before unreserved ports; within a role, the lowest
 * ports first. Deterministic: the same input gives the same ports.
 *
 * @returns the ports and the matching resources, or `undefined` when the
 *   offer has fewer than `count` free ports.
 *
 * @example
 * ```ts
 * const a = assignPorts(Resources.parse('ports:[31000-31001,31005-31009]'), 3);
 * a?.ports; // [31000, 31001, 31005]
 * a?.resources.toString(); // 'ports:[31000-31001,31005]'
 * ```
 */
export function assignPorts(
  offerResources: Resources | readonly IResource[],
  count: number,
  name = 'ports',
): PortAssignment | undefined {
  const pool = offerResources instanceof Resources ? offerResources : Resources.fromProto(offerResources);
  if (!Number.isSafeInteger(count) || count < 0) return undefined;
  let resources = Resources.EMPTY;
  const ports: number[] = [];
  for (const role of candidateRoles(pool, '*')) {
    for (const [begin, end] of pool.ranges(name, role)) {
      if (ports.length === count) break;
      const last = Math.min(end, begin + (count - ports.length) - 1);
      for (let p = begin; p <= last; p++) ports.push(p);
      resources = resources.add(Resources.ranges(name, [[begin, last]], role));
    }
  }
  return ports.length === count ? { resources, ports } : undefined;
}

/** How many values of `name` (e.g. ports) `resources` holds, over every role. */
export function countRangeValues(resources: Resources, name = 'ports'): number {
  return resources.ranges(name).reduce((n, [b, e]) => n + (e - b + 1), 0);
}
