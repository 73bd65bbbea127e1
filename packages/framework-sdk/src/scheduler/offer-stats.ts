// Per-key counters of what became of the offers the Scheduler processed while
// a key had pending tasks: the material of Marathon's /v2/queue
// `processedOffersSummary` ("why is my app not deployed").
import type { IOffer } from '@mesocosm/protocol';

/** What became of the offers processed while a key had tasks pending. */
export interface OfferStats {
  /** Offers looked at while the key had pending tasks. */
  processedOffers: number;
  /** Of those, offers that got none of the key's tasks. */
  unusedOffers: number;
  /** Clock time (ms) of the last offer that got one of the key's tasks. */
  lastUsedOfferAt?: number;
  /** Clock time (ms) of the last offer that got none. */
  lastUnusedOfferAt?: number;
  /**
   * Per reason (`insufficient cpus`, `insufficient ports`, `constraint hostname:UNIQUE`,
   * `unfulfilled role`, ...): how many offers were refused by a task of the key for it.
   */
  rejections: Record<string, number>;
  /** The same, for the last offers event only. */
  lastRejections: Record<string, number>;
}

/** @internal */
export class OfferStatsBook {
  private readonly byKey = new Map<string, OfferStats>();

  private entry(key: string): OfferStats {
    let s = this.byKey.get(key);
    if (!s) {
      s = { processedOffers: 0, unusedOffers: 0, rejections: {}, lastRejections: {} };
      this.byKey.set(key, s);
    }
    return s;
  }

  /**
   * Records one offers event for `key`: which offers took a task of the key, and
   * per offer the reasons its tasks were refused there.
   */
  record(
    key: string,
    now: number,
    offers: readonly IOffer[],
    used: ReadonlySet<string>,
    refused: ReadonlyMap<string, ReadonlySet<string>>,
  ): void {
    const s = this.entry(key);
    s.lastRejections = {};
    for (const offer of offers) {
      const id = offer.id?.value ?? '';
      s.processedOffers++;
      if (used.has(id)) {
        s.lastUsedOfferAt = now;
        continue;
      }
      s.unusedOffers++;
      s.lastUnusedOfferAt = now;
      for (const reason of refused.get(id) ?? []) {
        s.rejections[reason] = (s.rejections[reason] ?? 0) + 1;
        s.lastRejections[reason] = (s.lastRejections[reason] ?? 0) + 1;
      }
    }
  }

  get(key: string): OfferStats | undefined {
    const s = this.byKey.get(key);
    return s && { ...s, rejections: { ...s.rejections }, lastRejections: { ...s.lastRejections } };
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
