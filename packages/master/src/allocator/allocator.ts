// Mesos' hierarchical DRF allocator, reduced to its pure core: roles are
// ordered by weighted dominant share, then the frameworks of each role by
// theirs, and each agent's free resources go to the first framework in that
// order that may take them. See README.md for the pipeline and vocabulary.
import { MesocosmError, Resources, type Clock } from '@mesocosm/protocol';
import { AgentLedger } from './agent-ledger.js';
import { AllocationCandidates } from './allocation-candidates.js';
import { DrfSorter } from './drf-sorter.js';
import { OfferFilters, type OfferFilter } from './offer-filters.js';
import { intersection } from './resource-intersection.js';
import {
  addInto,
  DEFAULT_MIN_ALLOCATABLE,
  dominantShare,
  isAllocatable,
  vectorOf,
  zeroVector,
  type MinAllocatable,
  type ScalarVector,
} from './scalar-vector.js';
import type { AgentEntry, Allocation, AllocatorOptions, FrameworkEntry, UsedResources } from './types.js';

interface FrameworkState {
  readonly id: string;
  roles: Set<string>;
  readonly suppressed: Set<string>;
  active: boolean;
}

/** Refuse periods beyond this are capped (Mesos caps them likewise, at a year). */
const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

/**
 * The hierarchical DRF allocator. Every method is synchronous and pure over
 * its state; time comes only from the injected clock (filter expiry).
 * Unknown agent or framework IDs are ignored, so that races between the
 * master's event sources never throw here.
 *
 * @example
 * ```ts
 * const allocator = new Allocator({ clock: systemClock });
 * allocator.addAgent({ agentId: 'a1', hostname: 'h1', total: Resources.parse('cpus:4;mem:8192'), attributes: [] });
 * allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
 * const [offer] = allocator.allocate(); // f1 gets cpus:4;mem:8192 on a1
 * allocator.recoverResources('f1', 'a1', offer.resources, 5); // declined: filtered for 5 s
 * ```
 */
export class Allocator {
  /** Refuse period (seconds) the master applies when a decline or accept carries no filter. */
  readonly defaultRefuseSeconds: number;
  private readonly clock: Clock;
  private readonly weights = new Map<string, number>();
  private readonly min: MinAllocatable;
  private readonly agents = new Map<string, AgentLedger>();
  private readonly frameworks = new Map<string, FrameworkState>();
  /** Cluster totals of the share scalars, read live by every sorter. */
  private readonly totals: ScalarVector = zeroVector();
  private readonly roleSorter = new DrfSorter(this.totals);
  private readonly frameworkSorters = new Map<string, DrfSorter>();
  private readonly frameworkVectors = new Map<string, ScalarVector>();
  private readonly frameworkAgents = new Map<string, Set<string>>();
  private readonly filters = new OfferFilters();
  private readonly candidates = new AllocationCandidates();
  private nextAgentSeq = 0;

  constructor(options: AllocatorOptions) {
    this.clock = options.clock;
    this.defaultRefuseSeconds = options.defaultRefuseSeconds ?? 5;
    if (!(this.defaultRefuseSeconds >= 0))
      throw new MesocosmError(
        'INVALID_ARGUMENT',
        `defaultRefuseSeconds must be >= 0, got ${options.defaultRefuseSeconds}`,
      );
    this.min = { ...DEFAULT_MIN_ALLOCATABLE, ...options.minAllocatable };
    for (const [role, weight] of Object.entries(options.roleWeights ?? {})) this.setRoleWeight(role, weight);
  }

  /** Sets a role's DRF weight (> 0); its share is divided by it. */
  setRoleWeight(role: string, weight: number): void {
    if (!(weight > 0) || !Number.isFinite(weight))
      throw new MesocosmError('INVALID_ARGUMENT', `weight of role '${role}' must be a positive number, got ${weight}`);
    this.weights.set(role, weight);
    this.roleSorter.setWeight(role, weight);
    this.candidates.everythingChanged();
  }

  /**
   * Adds an agent, with what its running tasks already use (re-registration).
   * Re-adding a known agent ID replaces it. Used resources beyond the total are ignored.
   */
  addAgent(agent: AgentEntry, used: UsedResources[] = []): void {
    if (this.agents.has(agent.agentId)) this.removeAgent(agent.agentId);
    const ledger = new AgentLedger(agent);
    ledger.seq = this.nextAgentSeq++;
    this.agents.set(agent.agentId, ledger);
    this.candidates.agentChanged(agent.agentId);
    addInto(this.totals, ledger.totalVector);
    this.totalsChanged();
    for (const u of used) {
      const take = intersection(ledger.free, u.resources);
      if (!take.isEmpty()) this.track(ledger, u.frameworkId, u.role, take);
    }
  }

  /** Removes an agent; what frameworks held there is forgotten. */
  removeAgent(agentId: string): void {
    const ledger = this.agents.get(agentId);
    if (!ledger) return;
    for (const h of [...ledger.allHoldings()]) this.untrack(ledger, h.frameworkId, h.role, h.resources);
    this.agents.delete(agentId);
    this.candidates.forget(agentId);
    addInto(this.totals, ledger.totalVector, -1);
    this.totalsChanged();
    this.filters.clearAgent(agentId);
  }

  /** Deactivated agents (disconnected, draining) get no offers; their allocation stays. */
  setAgentActive(agentId: string, active: boolean): void {
    const ledger = this.agents.get(agentId);
    if (!ledger) return;
    if (active && !ledger.active) this.candidates.agentChanged(agentId);
    ledger.active = active;
  }

  /** Adds (or, for a known ID, re-adds as active with new roles) a framework. */
  addFramework(fw: FrameworkEntry): void {
    this.candidates.everythingChanged();
    const existing = this.frameworks.get(fw.frameworkId);
    if (existing) {
      existing.active = true;
      this.updateFrameworkRoles(fw.frameworkId, fw.roles);
      existing.suppressed.clear();
      for (const r of fw.suppressedRoles ?? []) if (existing.roles.has(r)) existing.suppressed.add(r);
      return;
    }
    const roles = new Set(fw.roles);
    const state: FrameworkState = {
      id: fw.frameworkId,
      roles,
      suppressed: new Set((fw.suppressedRoles ?? []).filter((r) => roles.has(r))),
      active: true,
    };
    this.frameworks.set(fw.frameworkId, state);
    for (const role of roles) this.frameworkSorter(role).add(fw.frameworkId);
  }

  /** Removes a framework: its allocations are forgotten (returned to free) and its filters dropped. */
  removeFramework(frameworkId: string): void {
    const state = this.frameworks.get(frameworkId);
    for (const agentId of [...(this.frameworkAgents.get(frameworkId) ?? [])]) {
      const ledger = this.agents.get(agentId);
      const holdings = ledger?.holdingsOf(frameworkId);
      if (!ledger || !holdings) continue;
      for (const [role, resources] of [...holdings]) this.untrack(ledger, frameworkId, role, resources);
    }
    this.frameworks.delete(frameworkId);
    this.filters.clearFramework(frameworkId);
    for (const role of state?.roles ?? []) this.forgetIfIdle(frameworkId, role);
  }

  /** Disconnected frameworks get no offers but keep their allocation (failover). */
  setFrameworkActive(frameworkId: string, active: boolean): void {
    const state = this.frameworks.get(frameworkId);
    if (!state) return;
    if (active && !state.active) this.candidates.everythingChanged();
    state.active = active;
  }

  /** Replaces a framework's roles. Allocations under a dropped role stay accounted until recovered. */
  updateFrameworkRoles(frameworkId: string, roles: string[]): void {
    const state = this.frameworks.get(frameworkId);
    if (!state) return;
    const old = state.roles;
    state.roles = new Set(roles);
    this.candidates.everythingChanged();
    for (const role of state.roles) this.frameworkSorter(role).add(frameworkId);
    for (const role of old) {
      if (state.roles.has(role)) continue;
      state.suppressed.delete(role);
      this.forgetIfIdle(frameworkId, role);
    }
  }

  /** Stops offers to the framework in the given roles (all of its roles when none given). */
  suppress(frameworkId: string, roles?: string[]): void {
    const state = this.frameworks.get(frameworkId);
    if (!state) return;
    for (const role of roles ?? state.roles) if (state.roles.has(role)) state.suppressed.add(role);
  }

  /** Resumes offers in the given roles (all when none given) and clears the framework's filters for them. */
  revive(frameworkId: string, roles?: string[]): void {
    const state = this.frameworks.get(frameworkId);
    if (!state) return;
    // A REVIVE that lifts nothing changes no offer: it asks for no cycle (1,000 REVIVEs, one cycle).
    let changed = this.filters.hasFramework(frameworkId);
    for (const role of roles ?? [...state.roles]) changed = state.suppressed.delete(role) || changed;
    this.filters.clearFramework(frameworkId, roles);
    if (changed) this.candidates.everythingChanged();
  }

  /**
   * Resources go back to free (declined/rescinded offer, unused part of an accept, finished task).
   * Only what the framework actually holds on the agent is recovered (under `role` when given,
   * else under its roles in turn). With `refuseSeconds > 0`, installs a filter: this framework is
   * not offered these resources on this agent again (in `role`, or in any role when none is given)
   * until it expires; a filter matches while the offer would be contained in the filtered resources.
   */
  recoverResources(
    frameworkId: string,
    agentId: string,
    resources: Resources,
    refuseSeconds?: number,
    role?: string,
  ): void {
    const ledger = this.agents.get(agentId);
    if (!ledger) return;
    let left = resources;
    for (const [heldRole, held] of [...(ledger.holdingsOf(frameworkId) ?? [])]) {
      if (left.isEmpty()) break;
      if (role !== undefined && heldRole !== role) continue;
      const take = intersection(held, left);
      if (take.isEmpty()) continue;
      this.untrack(ledger, frameworkId, heldRole, take);
      left = left.subtract(take);
    }
    if (refuseSeconds !== undefined && refuseSeconds > 0 && this.frameworks.has(frameworkId)) {
      const seconds = Math.min(refuseSeconds, MAX_REFUSE_SECONDS);
      const expiresAt = this.clock.now() + seconds * 1000;
      this.filters.add({ frameworkId, agentId, role, resources, expiresAt });
      this.candidates.filterAdded(expiresAt);
    }
  }

  /**
   * One allocation cycle over all (or the given) agents: DRF order over roles (weighted), then over
   * the frameworks of each role; each agent's free resources, as allocatable to a role, go whole to
   * the first framework in order that wants them (active, not suppressed, not filtered, in the role).
   * Marks the returned resources allocated.
   */
  allocate(agentIds?: Iterable<string>): Allocation[] {
    const now = this.clock.now();
    if (agentIds === undefined) {
      const out = this.cycle(this.agents.keys(), now);
      this.candidates.fullCycleDone(now, () => this.filters.earliestExpiry(now));
      return out;
    }
    const ids = [...agentIds];
    this.candidates.visited(ids);
    return this.cycle(ids, now);
  }

  /**
   * The cycle to run after an event: over the agents whose free resources
   * grew since the last cycle, or over every agent when something changed
   * for all of them (a framework added, activated or revived, roles or
   * weights changed, a filter expired). Offers what {@link allocate} would.
   */
  allocateChanged(): Allocation[] {
    const now = this.clock.now();
    const ids = this.candidates.take(now, () => this.filters.expire(now));
    if (ids === undefined) return this.allocate();
    if (ids.length === 0) return [];
    // In the order a full cycle visits them, so that both make the same offers.
    const seq = (id: string): number => this.agents.get(id)?.seq ?? 0;
    if (ids.length > 1) ids.sort((a, b) => seq(a) - seq(b));
    return this.cycle(ids, now);
  }

  /** Whether a cycle now may offer something the last one could not (see {@link allocateChanged}). */
  needsAllocation(): boolean {
    return this.candidates.pending(this.clock.now());
  }

  private cycle(agentIds: Iterable<string>, now: number): Allocation[] {
    const out: Allocation[] = [];
    const checkFilters = !this.filters.isEmpty;
    const wanting = this.rolesWithTakers();
    if (wanting.size === 0) return out;
    for (const agentId of agentIds) {
      const ledger = this.agents.get(agentId);
      if (!ledger || !ledger.active || !isAllocatable(ledger.freeVector, this.min)) continue;
      // With reserved resources left, one agent may go to several roles: iterate a snapshot.
      const roles = ledger.freeReserved ? [...this.roleSorter.sorted()] : this.roleSorter.sorted();
      for (const { name: role } of roles) {
        const sorter = this.frameworkSorters.get(role);
        if (!sorter || !wanting.has(role)) continue;
        const offer = ledger.freeReserved ? ledger.free.allocatableTo(role) : ledger.free;
        const vector = ledger.freeReserved ? vectorOf(offer) : ledger.freeVector;
        if (!isAllocatable(vector, this.min)) continue;
        for (const { name: frameworkId } of sorter.sorted()) {
          if (!this.mayOffer(frameworkId, role)) continue;
          if (checkFilters && this.filters.isFiltered(frameworkId, agentId, role, offer, now)) continue;
          // Copy: the ledger's free vector is updated in place by track().
          this.track(ledger, frameworkId, role, offer, [...vector]);
          out.push({ frameworkId, agentId, role, resources: offer });
          break;
        }
        if (!isAllocatable(ledger.freeVector, this.min)) break;
      }
    }
    return out;
  }

  private mayOffer(frameworkId: string, role: string): boolean {
    const fw = this.frameworks.get(frameworkId);
    return fw !== undefined && fw.active && fw.roles.has(role) && !fw.suppressed.has(role);
  }

  /** Roles with at least one framework that may be offered in them this cycle. */
  private rolesWithTakers(): Set<string> {
    const out = new Set<string>();
    for (const [role, sorter] of this.frameworkSorters) {
      for (const { name } of sorter.sorted()) {
        if (this.mayOffer(name, role)) {
          out.add(role);
          break;
        }
      }
    }
    return out;
  }

  /** Dominant share per framework (allocated / cluster total, over all its roles), for state endpoints. */
  dominantShare(frameworkId: string): number {
    const v = this.frameworkVectors.get(frameworkId);
    return v ? dominantShare(v, this.totals) : 0;
  }

  /** A role's weighted dominant share (allocated / cluster total / weight). */
  roleShare(role: string): number {
    return this.roleSorter.share(role);
  }

  /** Free, allocated and total per agent, for state endpoints. */
  agentResources(agentId: string): { total: Resources; allocated: Resources; free: Resources } | undefined {
    const l = this.agents.get(agentId);
    return l && { total: l.total, allocated: l.allocated, free: l.free };
  }

  /** Everything allocated to the framework, summed over agents (ranges of different agents merge). */
  allocatedTo(frameworkId: string): Resources {
    let sum = Resources.EMPTY;
    for (const a of this.allocationsOf(frameworkId)) sum = sum.add(a.resources);
    return sum;
  }

  /** The framework's allocation per agent and role. */
  allocationsOf(frameworkId: string): Allocation[] {
    const out: Allocation[] = [];
    for (const agentId of this.frameworkAgents.get(frameworkId) ?? []) {
      for (const [role, resources] of this.agents.get(agentId)?.holdingsOf(frameworkId) ?? [])
        out.push({ frameworkId, agentId, role, resources });
    }
    return out;
  }

  /** Live offer filters of a framework. */
  filtersOf(frameworkId: string): OfferFilter[] {
    return this.filters.of(frameworkId, this.clock.now());
  }

  /** Known agent IDs, in the order they were added. */
  agentIds(): string[] {
    return [...this.agents.keys()];
  }

  private frameworkSorter(role: string): DrfSorter {
    let sorter = this.frameworkSorters.get(role);
    if (!sorter) {
      sorter = new DrfSorter(this.totals);
      this.frameworkSorters.set(role, sorter);
      this.roleSorter.add(role, this.weights.get(role) ?? 1);
    }
    return sorter;
  }

  private totalsChanged(): void {
    this.roleSorter.totalsChanged();
    for (const s of this.frameworkSorters.values()) s.totalsChanged();
  }

  private track(ledger: AgentLedger, frameworkId: string, role: string, resources: Resources, vector?: ScalarVector) {
    const v = vector ?? vectorOf(resources);
    ledger.allocate(frameworkId, role, resources, v);
    this.frameworkSorter(role).allocate(frameworkId, v);
    this.roleSorter.allocate(role, v);
    let fv = this.frameworkVectors.get(frameworkId);
    if (!fv) {
      fv = zeroVector();
      this.frameworkVectors.set(frameworkId, fv);
    }
    addInto(fv, v);
    let agents = this.frameworkAgents.get(frameworkId);
    if (!agents) {
      agents = new Set();
      this.frameworkAgents.set(frameworkId, agents);
    }
    agents.add(ledger.id);
  }

  private untrack(ledger: AgentLedger, frameworkId: string, role: string, resources: Resources): void {
    const v = vectorOf(resources);
    ledger.release(frameworkId, role, resources, v);
    this.candidates.agentChanged(ledger.id);
    this.frameworkSorters.get(role)?.allocate(frameworkId, v, -1);
    this.roleSorter.allocate(role, v, -1);
    const fv = this.frameworkVectors.get(frameworkId);
    if (fv) addInto(fv, v, -1);
    if (!ledger.holdingsOf(frameworkId)) {
      const agents = this.frameworkAgents.get(frameworkId);
      agents?.delete(ledger.id);
      if (agents?.size === 0) {
        this.frameworkAgents.delete(frameworkId);
        this.frameworkVectors.delete(frameworkId);
      }
    }
    this.forgetIfIdle(frameworkId, role);
  }

  /** Drops sorter entries nobody needs: a framework neither in the role nor holding anything in it. */
  private forgetIfIdle(frameworkId: string, role: string): void {
    if (this.frameworks.get(frameworkId)?.roles.has(role)) return;
    const sorter = this.frameworkSorters.get(role);
    if (!sorter || !sorter.isIdle(frameworkId)) return;
    sorter.remove(frameworkId);
    if (sorter.size === 0) {
      this.frameworkSorters.delete(role);
      this.roleSorter.remove(role);
    }
  }
}
