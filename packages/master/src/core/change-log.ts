// What changed since the live feed last looked: IDs marked dirty at the
// master's change points (task status, agent and framework lifecycle,
// maintenance, offers), so that the feed sends deltas without diffing the
// whole state. Marking is a no-op while nobody watches (`tracking` false).
// Pure: the feed (server/feed.ts) owns the timers.
import { OfferBook, type OutstandingOffer } from '../offers/index.js';
import type { TaskRecord } from './types.js';

/** Dirty marks of the master's model, and who to tell about leadership changes. @internal */
export class ChangeLog {
  /** Set by the feed while a client watches; marks are dropped otherwise. */
  private tracking = false;
  private tasks = new Set<TaskRecord>();
  private agents = new Set<string>();
  private frameworks = new Set<string>();
  private offers = false;
  private onDirty: (() => void) | undefined;
  private readonly leadershipListeners = new Set<() => void>();

  /** Starts recording marks; `onDirty` is called at the first mark after each {@link take}. */
  track(onDirty: () => void): void {
    this.tracking = true;
    this.onDirty = onDirty;
    this.clear();
  }

  /** Stops recording (and forgets what was marked). */
  untrack(): void {
    this.tracking = false;
    this.onDirty = undefined;
    this.clear();
  }

  get isTracking(): boolean {
    return this.tracking;
  }

  /** A task's state or statuses changed: its row, its agent's and its framework's. */
  task(task: TaskRecord): void {
    if (!this.tracking) return;
    this.dirty();
    this.tasks.add(task);
    this.agents.add(task.agentId);
    this.frameworks.add(task.frameworkId);
  }

  /** An agent was added, changed (status, maintenance, resources) or removed. */
  agent(agentId: string): void {
    if (!this.tracking) return;
    this.dirty();
    this.agents.add(agentId);
  }

  /** A framework was added, changed (connection, decline reasons) or removed. */
  framework(frameworkId: string): void {
    if (!this.tracking) return;
    this.dirty();
    this.frameworks.add(frameworkId);
  }

  /** An offer was made or went away: the offer list, its agent's and its framework's offered resources. */
  offer(offer: { agentId: string; frameworkId: string }): void {
    if (!this.tracking) return;
    this.dirty();
    this.offers = true;
    this.agents.add(offer.agentId);
    this.frameworks.add(offer.frameworkId);
  }

  /** Whether anything is marked. */
  get pending(): boolean {
    return this.offers || this.tasks.size > 0 || this.agents.size > 0 || this.frameworks.size > 0;
  }

  /** Hands over what was marked and starts afresh. */
  take(): { tasks: Set<TaskRecord>; agents: Set<string>; frameworks: Set<string>; offers: boolean } {
    const out = { tasks: this.tasks, agents: this.agents, frameworks: this.frameworks, offers: this.offers };
    this.clear();
    return out;
  }

  /** Calls `fn` when who leads (or the set of masters) may have changed; returns the unsubscribe. */
  onLeadership(fn: () => void): () => void {
    this.leadershipListeners.add(fn);
    return () => this.leadershipListeners.delete(fn);
  }

  /** Who leads, or the set of masters, may have changed. */
  leadership(): void {
    for (const fn of [...this.leadershipListeners]) fn();
  }

  private dirty(): void {
    if (!this.pending) this.onDirty?.();
  }

  private clear(): void {
    this.tasks = new Set();
    this.agents = new Set();
    this.frameworks = new Set();
    this.offers = false;
  }
}

/** An offer book that marks the change log on every offer made or gone. @internal */
export class ObservedOfferBook extends OfferBook {
  constructor(private readonly changes: ChangeLog) {
    super();
  }

  override add(offer: OutstandingOffer): void {
    super.add(offer);
    this.changes.offer(offer);
  }

  override remove(offerId: string): OutstandingOffer | undefined {
    const offer = super.remove(offerId);
    if (offer) this.changes.offer(offer);
    return offer;
  }
}
