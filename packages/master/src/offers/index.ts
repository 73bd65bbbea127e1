/**
 * The master's pure offer book: outstanding offers by ID, agent and framework,
 * and which of them have outlived the offer timeout.
 *
 * @example
 * ```ts
 * const book = new OfferBook();
 * book.add({ offerId, frameworkId, agentId, role: '*', resources, createdAt: clock.now() });
 * book.expired(clock.now(), offerTimeoutMs); // to rescind
 * ```
 *
 * @module
 */
export { OfferBook, type OutstandingOffer } from './offer-book.js';
