// Whether the framework wants offers: SUPPRESS when nothing is pending,
// REVIVE when work appears, at most one REVIVE per interval (coalesced).
// Pure: time comes in as an argument.
import type { SchedulerAction } from './types.js';

const SUPPRESS: SchedulerAction = { type: 'suppress' };
const REVIVE: SchedulerAction = { type: 'revive' };

/** @internal */
export class OfferInterest {
  /** What the master was last told: true after SUPPRESS, false after REVIVE or a subscription. */
  suppressed = false;
  private connected = false;
  private lastReviveAt = Number.NEGATIVE_INFINITY;
  /** A REVIVE held back by the rate limit, due at this time. */
  private reviveDueAt: number | undefined;

  constructor(private readonly minReviveIntervalMs: number) {}

  /** A subscription started (the master forgets a suppression when a framework subscribes). */
  subscribed(now: number, hasPending: boolean, resubscribed: boolean): SchedulerAction[] {
    this.connected = true;
    this.suppressed = false;
    this.reviveDueAt = undefined;
    if (!hasPending) return this.update(now, false, false);
    // Filters from declines made before the reconnection may still hold offers back.
    return resubscribed ? this.requestRevive(now) : [];
  }

  disconnected(): void {
    this.connected = false;
    this.reviveDueAt = undefined;
  }

  /**
   * The pending work changed: `newWork` when some task became pending that was
   * not before (its offers may be filtered by earlier declines, so REVIVE).
   */
  update(now: number, hasPending: boolean, newWork: boolean): SchedulerAction[] {
    if (!this.connected) return [];
    if (!hasPending) {
      this.reviveDueAt = undefined;
      if (this.suppressed) return [];
      this.suppressed = true;
      return [SUPPRESS];
    }
    return newWork || this.suppressed ? this.requestRevive(now) : [];
  }

  /** Time passed: sends a held-back REVIVE once due, if work is still pending. */
  tick(now: number, hasPending: boolean): SchedulerAction[] {
    if (this.reviveDueAt === undefined || now < this.reviveDueAt) return [];
    this.reviveDueAt = undefined;
    return hasPending && this.connected ? this.revive(now) : [];
  }

  /** When {@link tick} has something to do. */
  nextWakeAt(): number | undefined {
    return this.reviveDueAt;
  }

  private requestRevive(now: number): SchedulerAction[] {
    if (this.reviveDueAt !== undefined) return []; // coalesced into the one already due
    if (now - this.lastReviveAt >= this.minReviveIntervalMs) return this.revive(now);
    this.reviveDueAt = this.lastReviveAt + this.minReviveIntervalMs;
    return [];
  }

  private revive(now: number): SchedulerAction[] {
    this.lastReviveAt = now;
    this.suppressed = false;
    return [REVIVE];
  }
}
