// Which agents the next event-driven cycle must visit: Mesos' "allocation
// candidates". A cycle after an event (a task finished, an offer declined,
// an agent added, a filter expired) only needs the agents whose free
// resources grew or whose filter went; anything that may change the answer
// for every agent (a framework added, activated or revived, roles or weights
// changed) asks for a full cycle instead.

/** The allocator's record of what changed since the last cycle. @internal */
export class AllocationCandidates {
  private readonly agents = new Set<string>();
  private all = true;
  /** Clock time (ms) at which the earliest filter known at the last full cycle, or added since, expires. */
  private filterWake = Infinity;

  /** The agent's free resources grew (or it was added, or activated). */
  agentChanged(agentId: string): void {
    if (!this.all) this.agents.add(agentId);
  }

  /** The agent is gone. */
  forget(agentId: string): void {
    this.agents.delete(agentId);
  }

  /** Every agent may be offered otherwise now. */
  everythingChanged(): void {
    this.all = true;
    this.agents.clear();
  }

  /** A filter was installed; once it expires, every agent it covers is a candidate again. */
  filterAdded(expiresAt: number): void {
    if (expiresAt < this.filterWake) this.filterWake = expiresAt;
  }

  /** Whether a cycle at time `now` may offer something that the last cycle could not. */
  pending(now: number): boolean {
    return this.all || this.agents.size > 0 || now >= this.filterWake;
  }

  /**
   * The agents to visit at `now` (cleared), or undefined when the cycle must
   * visit every agent. Once a filter has expired, `expireFilters` drops the
   * expired ones: the agents they were on are visited again (only the
   * framework that refused can be offered more there; Mesos likewise
   * allocates the agent of an expired filter), and the next wake is the
   * earliest expiry left.
   */
  take(now: number, expireFilters: () => { agents: readonly string[]; next: number }): string[] | undefined {
    if (this.all) return undefined;
    if (now >= this.filterWake) {
      const expired = expireFilters();
      for (const id of expired.agents) this.agents.add(id);
      this.filterWake = expired.next;
    }
    const out = [...this.agents];
    this.agents.clear();
    return out;
  }

  /**
   * A full cycle ran at `now`. Once a filter has expired, `nextFilterExpiry`
   * gives the earliest expiry of those still live (Infinity: none); until
   * then the known bound stays (at worst early, for a filter cleared since:
   * one full cycle too many, never one too few).
   */
  fullCycleDone(now: number, nextFilterExpiry: () => number): void {
    this.all = false;
    this.agents.clear();
    if (now >= this.filterWake) this.filterWake = nextFilterExpiry();
  }

  /** A cycle visited these agents. */
  visited(agentIds: readonly string[]): void {
    for (const id of agentIds) this.agents.delete(id);
  }
}
