// Offer filters (Mesos' refuse_seconds): after a framework declines resources
// on an agent, it is not offered that agent again while what would be offered
// is contained in what it refused, until the filter expires. Expiry is checked
// lazily against the clock: no timers in the pure core.
import type { Resources } from '@mesocosm/protocol';
import { ExpiryHeap } from './expiry-heap.js';

/** One installed filter. */
export interface OfferFilter {
  readonly frameworkId: string;
  readonly agentId: string;
  /** The allocation role it applies to; undefined = every role of the framework. */
  readonly role: string | undefined;
  readonly resources: Resources;
  /** Clock time (ms) at which it stops filtering. */
  readonly expiresAt: number;
}

/** How many adds between two checks of the expiry heap for cleared filters. */
const COMPACTION_EVERY = 1024;

/** Filters by framework, then agent. @internal */
export class OfferFilters {
  private readonly byFramework = new Map<string, Map<string, OfferFilter[]>>();
  /** Every filter added, by expiry; those cleared before expiring are skipped (and compacted away). */
  private readonly byExpiry = new ExpiryHeap<OfferFilter>();
  private addsSinceCompaction = 0;

  get isEmpty(): boolean {
    return this.byFramework.size === 0;
  }

  add(filter: OfferFilter): void {
    let agents = this.byFramework.get(filter.frameworkId);
    if (!agents) {
      agents = new Map();
      this.byFramework.set(filter.frameworkId, agents);
    }
    const list = agents.get(filter.agentId);
    if (list) list.push(filter);
    else agents.set(filter.agentId, [filter]);
    this.byExpiry.push(filter);
    if (++this.addsSinceCompaction >= COMPACTION_EVERY) this.compact();
  }

  /** Whether `filter` is still installed (not expired and swept, nor cleared). */
  private installed(filter: OfferFilter): boolean {
    return this.byFramework.get(filter.frameworkId)?.get(filter.agentId)?.includes(filter) === true;
  }

  /** Drops the heap's cleared filters once they are most of it (a framework revived over and over). */
  private compact(): void {
    this.addsSinceCompaction = 0;
    let count = 0;
    for (const agents of this.byFramework.values()) for (const list of agents.values()) count += list.length;
    if (this.byExpiry.size > 2 * count + COMPACTION_EVERY) this.byExpiry.retain((f) => this.installed(f));
  }

  /** Whether offering `offer` in `role` on the agent to the framework is filtered at time `now`. */
  isFiltered(frameworkId: string, agentId: string, role: string, offer: Resources, now: number): boolean {
    const agents = this.byFramework.get(frameworkId);
    const list = agents?.get(agentId);
    if (!agents || !list) return false;
    const live = list.filter((f) => f.expiresAt > now);
    if (live.length === 0) this.drop(frameworkId, agentId);
    else if (live.length !== list.length) agents.set(agentId, live);
    return live.some((f) => (f.role === undefined || f.role === role) && f.resources.contains(offer));
  }

  /** Removes the framework's filters, only those for `roles` (and role-less ones) when given. */
  clearFramework(frameworkId: string, roles?: readonly string[]): void {
    if (!roles) {
      this.byFramework.delete(frameworkId);
      return;
    }
    const agents = this.byFramework.get(frameworkId);
    if (!agents) return;
    for (const [agentId, list] of agents) {
      const kept = list.filter((f) => f.role !== undefined && !roles.includes(f.role));
      if (kept.length === 0) agents.delete(agentId);
      else agents.set(agentId, kept);
    }
    if (agents.size === 0) this.byFramework.delete(frameworkId);
  }

  /** Whether the framework has any filter (live or not yet swept). */
  hasFramework(frameworkId: string): boolean {
    return this.byFramework.has(frameworkId);
  }

  /**
   * Drops the filters expired at `now`: the agents they were on (each once),
   * and the earliest expiry (clock ms) of those left, Infinity when none.
   * Costs the expired filters, not all of them (the profile of master-e2e
   * showed a walk over thousands of short filters at each expiry).
   */
  expire(now: number): { agents: string[]; next: number } {
    const agents = new Set<string>();
    for (let f = this.byExpiry.peek(); f && f.expiresAt <= now; f = this.byExpiry.peek()) {
      this.byExpiry.pop();
      const byAgent = this.byFramework.get(f.frameworkId);
      const list = byAgent?.get(f.agentId);
      if (!byAgent || !list?.includes(f)) continue; // cleared, or swept by isFiltered
      agents.add(f.agentId);
      const left = list.filter((x) => x !== f);
      if (left.length === 0) this.drop(f.frameworkId, f.agentId);
      else byAgent.set(f.agentId, left);
    }
    let head = this.byExpiry.peek();
    while (head && !this.installed(head)) {
      this.byExpiry.pop();
      head = this.byExpiry.peek();
    }
    return { agents: [...agents], next: head?.expiresAt ?? Infinity };
  }

  /** The earliest expiry (clock ms) of the filters live at `now`, Infinity when none; expired ones are dropped. */
  earliestExpiry(now: number): number {
    return this.expire(now).next;
  }

  clearAgent(agentId: string): void {
    for (const frameworkId of [...this.byFramework.keys()]) this.drop(frameworkId, agentId);
  }

  /** Live filters of a framework (for state endpoints and tests). */
  of(frameworkId: string, now: number): OfferFilter[] {
    const agents = this.byFramework.get(frameworkId);
    if (!agents) return [];
    return [...agents.values()].flat().filter((f) => f.expiresAt > now);
  }

  private drop(frameworkId: string, agentId: string): void {
    const agents = this.byFramework.get(frameworkId);
    if (!agents) return;
    agents.delete(agentId);
    if (agents.size === 0) this.byFramework.delete(frameworkId);
  }
}
