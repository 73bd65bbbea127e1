// Offer filters (Mesos' refuse_seconds): after a framework declines resources
// on an agent, it is not offered that agent again while what would be offered
// is contained in what it refused, until the filter expires. Expiry is checked
// lazily against the clock: no timers in the pure core.
import type { Resources } from '@mesocosm/protocol';

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

/** Filters by framework, then agent. @internal */
export class OfferFilters {
  private readonly byFramework = new Map<string, Map<string, OfferFilter[]>>();

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

  /** The earliest expiry (clock ms) of the filters live at `now`, Infinity when none; expired ones are dropped. */
  earliestExpiry(now: number): number {
    let earliest = Infinity;
    for (const [frameworkId, agents] of [...this.byFramework]) {
      for (const [agentId, list] of [...agents]) {
        const live = list.filter((f) => f.expiresAt > now);
        if (live.length === 0) this.drop(frameworkId, agentId);
        else if (live.length !== list.length) agents.set(agentId, live);
        for (const f of live) if (f.expiresAt < earliest) earliest = f.expiresAt;
      }
    }
    return earliest;
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
