// Outstanding offers, indexed by ID, agent and framework: what the master has
// offered and not yet seen used, declined or rescinded.
import { MesocosmError, type Resources } from '@mesocosm/protocol';

/** An offer sent to a framework and not yet used, declined or rescinded. */
export interface OutstandingOffer {
  offerId: string;
  frameworkId: string;
  agentId: string;
  /** The offer's allocation role. */
  role: string;
  resources: Resources;
  /** Clock time (ms) the offer was made. */
  createdAt: number;
}

function addIndex(index: Map<string, Set<string>>, key: string, offerId: string): void {
  const set = index.get(key);
  if (set) set.add(offerId);
  else index.set(key, new Set([offerId]));
}

function removeIndex(index: Map<string, Set<string>>, key: string, offerId: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(offerId);
  if (set.size === 0) index.delete(key);
}

/**
 * Tracks outstanding offers. Lookups by agent and framework are O(offers there).
 *
 * @example
 * ```ts
 * const book = new OfferBook();
 * book.add({ offerId: 'o1', frameworkId: 'f1', agentId: 'a1', role: '*', resources, createdAt: clock.now() });
 * for (const o of book.expired(clock.now(), 60_000)) rescind(book.remove(o.offerId));
 * ```
 */
export class OfferBook {
  private readonly offers = new Map<string, OutstandingOffer>();
  private readonly agents = new Map<string, Set<string>>();
  private readonly frameworks = new Map<string, Set<string>>();

  /** Adds an offer; throws if its ID is already outstanding (IDs must be unique). */
  add(offer: OutstandingOffer): void {
    if (this.offers.has(offer.offerId))
      throw new MesocosmError(
        'INVALID_ARGUMENT',
        `offer '${offer.offerId}' is already outstanding: offer IDs must be unique`,
        {
          details: { offerId: offer.offerId },
        },
      );
    this.offers.set(offer.offerId, offer);
    addIndex(this.agents, offer.agentId, offer.offerId);
    addIndex(this.frameworks, offer.frameworkId, offer.offerId);
  }

  get(offerId: string): OutstandingOffer | undefined {
    return this.offers.get(offerId);
  }

  /** Removes an offer (used or rescinded); returns it, or undefined if it was not outstanding. */
  remove(offerId: string): OutstandingOffer | undefined {
    const offer = this.offers.get(offerId);
    if (!offer) return undefined;
    this.offers.delete(offerId);
    removeIndex(this.agents, offer.agentId, offerId);
    removeIndex(this.frameworks, offer.frameworkId, offerId);
    return offer;
  }

  byAgent(agentId: string): OutstandingOffer[] {
    return this.lookup(this.agents.get(agentId));
  }

  byFramework(frameworkId: string): OutstandingOffer[] {
    return this.lookup(this.frameworks.get(frameworkId));
  }

  all(): OutstandingOffer[] {
    return [...this.offers.values()];
  }

  /** Offers at least `timeoutMs` old at time `now` (to rescind), oldest first. */
  expired(now: number, timeoutMs: number): OutstandingOffer[] {
    const out: OutstandingOffer[] = [];
    for (const offer of this.offers.values()) if (now - offer.createdAt >= timeoutMs) out.push(offer);
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Removes and returns every offer on the agent (agent lost or deactivated). */
  removeByAgent(agentId: string): OutstandingOffer[] {
    const offers = this.byAgent(agentId);
    for (const o of offers) this.remove(o.offerId);
    return offers;
  }

  /** Removes and returns every offer to the framework (framework removed or disconnected). */
  removeByFramework(frameworkId: string): OutstandingOffer[] {
    const offers = this.byFramework(frameworkId);
    for (const o of offers) this.remove(o.offerId);
    return offers;
  }

  get size(): number {
    return this.offers.size;
  }

  private lookup(ids: Set<string> | undefined): OutstandingOffer[] {
    const out: OutstandingOffer[] = [];
    for (const id of ids ?? []) {
      const offer = this.offers.get(id);
      if (offer) out.push(offer);
    }
    return out;
  }
}
