// Why tasks were not placed, aggregated into DeclineReasons for the master
// ("why is this not placed" in the UI and CLI).
import type { IDeclineReason } from '@mesocosm/protocol';

interface Tally {
  tasks: Set<string>;
  maxNeed: number;
  maxHave: number;
  offers: Set<string>;
  kind: 'shortfall' | 'refusal';
}

/** Collects per-offer rejections and sums them per reason. */
export class DeclineReasonTally {
  private readonly byReason = new Map<string, Tally>();

  private entry(reason: string, kind: Tally['kind']): Tally {
    let t = this.byReason.get(reason);
    if (!t) {
      t = { tasks: new Set(), maxNeed: 0, maxHave: 0, offers: new Set(), kind };
      this.byReason.set(reason, t);
    }
    return t;
  }

  /** A task that did not fit an offer: `insufficient <name>`. */
  shortfall(taskId: string, offerId: string, name: string, need: number, have: number): void {
    const t = this.entry(`insufficient ${name}`, 'shortfall');
    t.tasks.add(taskId);
    t.offers.add(offerId);
    t.maxNeed = Math.max(t.maxNeed, need);
    t.maxHave = Math.max(t.maxHave, have);
  }

  /** A task whose `accept` predicate refused an offer. */
  refusal(taskId: string, offerId: string, reason: string): void {
    const t = this.entry(reason, 'refusal');
    t.tasks.add(taskId);
    t.offers.add(offerId);
  }

  /** One DeclineReason per reason; `count` is the number of unplaced tasks it applies to. */
  reasons(): IDeclineReason[] {
    return [...this.byReason].map(([reason, t]) => ({
      reason,
      count: t.tasks.size,
      detail:
        t.kind === 'shortfall'
          ? `need up to ${t.maxNeed}, offers have at most ${t.maxHave}`
          : `refused ${t.offers.size} offer(s)`,
    }));
  }
}
