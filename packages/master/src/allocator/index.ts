/**
 * The master's pure allocator: hierarchical Dominant Resource Fairness over
 * roles (weighted) and the frameworks of each role, with offer filters and
 * suppress/revive, after Mesos' hierarchical allocator. No I/O, no timers:
 * the master calls {@link Allocator.allocate} on its own schedule.
 *
 * @example
 * ```ts
 * const allocator = new Allocator({ clock: systemClock, roleWeights: { prod: 2 } });
 * allocator.addAgent({ agentId: 'a1', hostname: 'h1', total: Resources.parse('cpus:8;mem:16384'), attributes: [] });
 * allocator.addFramework({ frameworkId: 'f1', roles: ['prod'] });
 * for (const a of allocator.allocate()) sendOffer(a.frameworkId, a.agentId, a.role, a.resources);
 * ```
 *
 * @module
 */
export { Allocator } from './allocator.js';
export type { AgentEntry, Allocation, AllocatorOptions, FrameworkEntry, UsedResources } from './types.js';
export type { OfferFilter } from './offer-filters.js';
export { SHARE_RESOURCES, DEFAULT_MIN_ALLOCATABLE, type MinAllocatable } from './scalar-vector.js';
