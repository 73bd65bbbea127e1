// When allocation runs: soon after a change (coalesced into one pending run,
// over the agents that changed, and none at all when the change cannot alter
// any offer), and periodically over every agent as a fallback; plus the
// offer-timeout sweep.
import type { TimerHandle } from '@mesocosm/protocol';
import { expireOffers, makeOffers } from './offer-lifecycle.js';
import type { MasterContext } from './types.js';

/** The allocation and offer-timeout timers of a master. @internal */
export class AllocationLoop {
  private pending: TimerHandle | undefined;
  private periodic: TimerHandle | undefined;
  private offerTimer: TimerHandle | undefined;
  private stopped = true;

  constructor(private readonly ctx: () => MasterContext) {}

  start(): void {
    this.stopped = false;
    const tick = (): void => {
      this.periodic = undefined;
      if (this.stopped) return;
      expireOffers(this.ctx());
      this.run();
      this.periodic = this.ctx().clock.setTimeout(tick, this.ctx().options.allocationIntervalMs);
    };
    this.periodic = this.ctx().clock.setTimeout(tick, this.ctx().options.allocationIntervalMs);
  }

  stop(): void {
    this.stopped = true;
    const clock = this.ctx().clock;
    for (const t of [this.pending, this.periodic, this.offerTimer]) if (t) clock.clearTimeout(t);
    this.pending = this.periodic = this.offerTimer = undefined;
  }

  /** Asks for a run soon, unless the allocator has nothing new to offer; at most one run is pending at a time. */
  schedule(): void {
    if (this.stopped || this.pending || !this.ctx().allocator.needsAllocation()) return;
    this.pending = this.ctx().clock.setTimeout(() => {
      this.pending = undefined;
      this.run(false);
    }, 0);
  }

  /** Allocates now (over every agent, or `full` false: over the agents that changed) and sends the offers. */
  run(full = true): void {
    if (this.stopped) return;
    const ctx = this.ctx();
    try {
      makeOffers(ctx, full ? ctx.allocator.allocate() : ctx.allocator.allocateChanged());
    } catch (err) {
      ctx.logger.error('allocation failed', { error: String(err) });
    }
  }

  /** Makes sure a sweep runs when the oldest outstanding offer times out. */
  armOfferTimeout(): void {
    const ctx = this.ctx();
    if (this.stopped || this.offerTimer || ctx.options.offerTimeoutMs <= 0) return;
    let oldest = Infinity;
    for (const o of ctx.offers.all()) oldest = Math.min(oldest, o.createdAt);
    if (oldest === Infinity) return;
    const delay = Math.max(1, oldest + ctx.options.offerTimeoutMs - ctx.clock.now());
    this.offerTimer = ctx.clock.setTimeout(() => {
      this.offerTimer = undefined;
      expireOffers(ctx);
      this.armOfferTimeout();
    }, delay);
  }
}
