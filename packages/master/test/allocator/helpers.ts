// Shared fixtures for the allocator tests: a FakeClock-driven allocator and terse builders.
import { FakeClock, Resources } from '@mesocosm/protocol';
import { Allocator, type AllocatorOptions, type Allocation } from '../../src/allocator/index.js';

export const r = (text: string): Resources => Resources.parse(text);

export function newAllocator(options: Partial<AllocatorOptions> = {}): { allocator: Allocator; clock: FakeClock } {
  const clock = new FakeClock(1_000_000);
  return { allocator: new Allocator({ clock, ...options }), clock };
}

export function addAgent(allocator: Allocator, agentId: string, total: string): void {
  allocator.addAgent({ agentId, hostname: `${agentId}.example`, total: r(total), attributes: [] });
}

/** Allocations as "framework@agent/role=resources" strings, sorted, for readable assertions. */
export function summarise(allocations: readonly Allocation[]): string[] {
  return allocations.map((a) => `${a.frameworkId}@${a.agentId}/${a.role}=${a.resources.toString()}`).sort();
}

/**
 * Simulates frameworks that launch tasks of one shape from each offer and return the rest;
 * an offer that fits no task is declined with `declineSeconds` (as the SDK does by default).
 */
export function acceptTasks(
  allocator: Allocator,
  allocations: readonly Allocation[],
  shapes: Record<string, Resources>,
  maxTasksPerOffer = Infinity,
  declineSeconds = 0,
): number {
  let launched = 0;
  for (const a of allocations) {
    const shape = shapes[a.frameworkId];
    let left = a.resources;
    let n = 0;
    while (shape && n < maxTasksPerOffer && left.contains(shape)) {
      left = left.subtract(shape);
      n++;
    }
    launched += n;
    allocator.recoverResources(a.frameworkId, a.agentId, left, n === 0 ? declineSeconds : 0);
  }
  return launched;
}
