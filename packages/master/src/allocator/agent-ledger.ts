// Per-agent bookkeeping: total, allocated and free, and who holds what under
// which role. Kept up to date on every change so that a cycle reads, never
// recomputes.
import { Resources, UNRESERVED_ROLE, type IAttribute } from '@mesocosm/protocol';
import type { AgentEntry } from './types.js';
import { addInto, vectorOf, type ScalarVector } from './scalar-vector.js';

/** One agent's balances. Invariant: allocated + free == total. @internal */
export class AgentLedger {
  readonly id: string;
  readonly hostname: string;
  readonly attributes: IAttribute[];
  readonly total: Resources;
  readonly totalVector: ScalarVector;
  active = true;
  /** Order of addition among the allocator's agents (a cycle over some agents visits them in this order). */
  seq = 0;
  allocated: Resources = Resources.EMPTY;
  free: Resources;
  /** {@link free}'s share scalars, for the min-allocatable fast path. */
  readonly freeVector: ScalarVector;
  /** Whether {@link free} holds resources reserved to some role (then offers differ per role). */
  freeReserved: boolean;
  /** frameworkId -> allocation role -> resources. */
  private readonly holdings = new Map<string, Map<string, Resources>>();

  constructor(entry: AgentEntry) {
    this.id = entry.agentId;
    this.hostname = entry.hostname;
    this.attributes = entry.attributes;
    this.total = entry.total;
    this.totalVector = vectorOf(entry.total);
    this.free = entry.total;
    this.freeVector = [...this.totalVector];
    this.freeReserved = hasReserved(entry.total);
  }

  /** Moves `resources` (contained in free) to the framework under `role`. */
  allocate(frameworkId: string, role: string, resources: Resources, vector: ScalarVector): void {
    // Whole-agent offers are the common case: skip the arithmetic when nothing else is involved.
    this.free = resources === this.free ? Resources.EMPTY : this.free.subtract(resources);
    this.allocated = this.allocated.isEmpty() ? resources : this.allocated.add(resources);
    addInto(this.freeVector, vector, -1);
    if (this.freeReserved) this.freeReserved = hasReserved(this.free);
    let roles = this.holdings.get(frameworkId);
    if (!roles) {
      roles = new Map();
      this.holdings.set(frameworkId, roles);
    }
    const held = roles.get(role);
    roles.set(role, held ? held.add(resources) : resources);
  }

  /** Returns `resources` (contained in the framework's holding under `role`) to free. */
  release(frameworkId: string, role: string, resources: Resources, vector: ScalarVector): void {
    const roles = this.holdings.get(frameworkId);
    const held = roles?.get(role);
    if (!roles || !held) return;
    const left = held === resources ? Resources.EMPTY : held.subtract(resources);
    if (left.isEmpty()) roles.delete(role);
    else roles.set(role, left);
    if (roles.size === 0) this.holdings.delete(frameworkId);
    this.allocated = resources === this.allocated ? Resources.EMPTY : this.allocated.subtract(resources);
    this.free = this.free.isEmpty() ? resources : this.free.add(resources);
    addInto(this.freeVector, vector, 1);
    if (!this.freeReserved) this.freeReserved = hasReserved(resources);
  }

  /** What the framework holds here, by allocation role. */
  holdingsOf(frameworkId: string): ReadonlyMap<string, Resources> | undefined {
    return this.holdings.get(frameworkId);
  }

  /** Every (framework, role, resources) held here. */
  *allHoldings(): Generator<{ frameworkId: string; role: string; resources: Resources }> {
    for (const [frameworkId, roles] of this.holdings) {
      for (const [role, resources] of roles) yield { frameworkId, role, resources };
    }
  }
}

function hasReserved(r: Resources): boolean {
  return r.roles().some((role) => role !== UNRESERVED_ROLE);
}
