// The decision core of the Scheduler: pending tasks in, calls out. No driver,
// no timers: every method takes the current time and returns the calls to
// send; `nextWakeAt()` says when `tick()` wants to run next.
import type { IOffer, ITaskStatus } from '@mesocosm/protocol';
import type { ReconcileTask } from '../calls.js';
import type { Placement } from '../matching/constraints-values.js';
import { requestResources } from '../matching/task-request.js';
import { LaunchedBook } from './launched-book.js';
import { placeOffers, type RoundProblem } from './offer-round.js';
import { OfferInterest } from './offer-interest.js';
import { OfferStatsBook, type OfferStats } from './offer-stats.js';
import { RetryBook, type PlannedRetry } from './retry-book.js';
import {
  DEFAULT_SCHEDULER_POLICY,
  type LaunchedTask,
  type PendingGroup,
  type SchedulerAction,
  type SchedulerPolicy,
  type WantedTask,
} from './types.js';

/** Where the core learns what the framework knows; each has a default kept by the core itself. */
export interface SchedulerSources {
  /**
   * Where the key's tasks run (for constraints). Default: the tasks this
   * Scheduler launched under the key and that are not terminal.
   */
  placed?: (key: string) => readonly Placement[];
  /** The tasks to reconcile explicitly. Default: the non-terminal tasks this Scheduler launched. */
  known?: () => readonly ReconcileTask[];
  /**
   * Pending work kept by the framework, read at every decision, in addition
   * to what `want()` holds. Tasks launched are reported by `offers()`: stop
   * returning them from then on.
   */
  pending?: () => Iterable<PendingGroup>;
}

/** What {@link SchedulerCore.offers} decided. */
export interface OffersDecision {
  /** Calls to send, in order: LAUNCHes (one per offer), a DECLINE, then SUPPRESS if nothing is left. */
  actions: SchedulerAction[];
  /** The tasks in those LAUNCHes (they left their keys). */
  launched: LaunchedTask[];
  /** Tasks that could not be considered (they stay pending). */
  problems: RoundProblem[];
}

/** Tasks per explicit RECONCILE call. */
const RECONCILE_BATCH = 1000;

/**
 * The Scheduler's pure decision core; see {@link Scheduler} for the behaviour.
 * Drive it with a `FakeClock`'s time in tests.
 */
export class SchedulerCore {
  private readonly policy: Required<SchedulerPolicy>;
  private readonly wanted = new Map<string, WantedTask[]>();
  private readonly book = new LaunchedBook();
  private readonly stats = new OfferStatsBook();
  private readonly retries = new RetryBook();
  private readonly interest: OfferInterest;
  private pendingIds = new Set<string>();
  private connected = false;
  private nextReconcileAt: number | undefined;

  /** A core with `policy` (defaults: {@link DEFAULT_SCHEDULER_POLICY}) reading the framework's `sources`. */
  constructor(
    policy: SchedulerPolicy = {},
    private readonly sources: SchedulerSources = {},
  ) {
    const d = DEFAULT_SCHEDULER_POLICY;
    this.policy = {
      declineRefuseSeconds: policy.declineRefuseSeconds ?? d.declineRefuseSeconds,
      minReviveIntervalMs: policy.minReviveIntervalMs ?? d.minReviveIntervalMs,
      reconcileIntervalMs: policy.reconcileIntervalMs ?? d.reconcileIntervalMs,
      strategy: policy.strategy ?? d.strategy,
    };
    this.interest = new OfferInterest(this.policy.minReviveIntervalMs);
  }

  /** Sets the tasks wanted under `key` (replacing what it had). Throws on malformed resources. */
  want(key: string, tasks: readonly WantedTask[], now: number): SchedulerAction[] {
    for (const t of tasks) requestResources(t);
    if (tasks.length === 0) this.wanted.delete(key);
    else this.wanted.set(key, [...tasks]);
    return this.changed(now);
  }

  /** Drops the key's pending tasks and its offer counters (its running tasks are not touched). */
  unwant(key: string, now: number): SchedulerAction[] {
    this.wanted.delete(key);
    this.retries.cancel(key);
    this.stats.delete(key);
    return this.changed(now);
  }

  /** Re-reads `sources.pending` after the framework changed it: SUPPRESS or REVIVE as needed. */
  changed(now: number): SchedulerAction[] {
    const groups = this.groups();
    const ids = new Set(groups.flatMap((g) => g.tasks.map((t) => t.taskId)));
    const newWork = [...ids].some((id) => !this.pendingIds.has(id));
    this.pendingIds = ids;
    return this.interest.update(now, ids.size > 0, newWork);
  }

  /** An OFFERS event: launch what fits, decline the rest, SUPPRESS when nothing is left. */
  offers(offers: readonly IOffer[], now: number): OffersDecision {
    const groups = this.groups();
    const round = placeOffers({
      offers,
      groups,
      placed: (key) => this.sources.placed?.(key) ?? this.book.placed(key),
      declineRefuseSeconds: this.policy.declineRefuseSeconds,
      strategy: this.policy.strategy,
    });
    for (const l of round.launched) {
      this.book.launched(l.key, l.taskId, l.offer);
      const wanted = groups.find((g) => g.key === l.key)?.tasks.find((t) => t.taskId === l.taskId);
      if (wanted) this.retries.onLaunched(l.key, wanted);
      const left = (this.wanted.get(l.key) ?? []).filter((t) => t.taskId !== l.taskId);
      if (left.length > 0) this.wanted.set(l.key, left);
      else this.wanted.delete(l.key);
    }
    for (const { key, tasks } of groups) {
      if (tasks.length === 0) continue;
      const refused = round.refused.get(key) ?? new Map<string, Set<string>>();
      this.stats.record(key, now, offers, round.used.get(key) ?? new Set(), refused);
    }
    // Launched tasks leave the pending set: read it again (an external source has been told by now).
    const launchedIds = new Set(round.launched.map((l) => l.taskId));
    const after = this.groups()
      .map((g) => ({ ...g, tasks: g.tasks.filter((t) => !launchedIds.has(t.taskId)) }))
      .filter((g) => g.tasks.length > 0);
    const ids = new Set(after.flatMap((g) => g.tasks.map((t) => t.taskId)));
    this.pendingIds = ids;
    const interest = this.interest.update(now, ids.size > 0, false);
    return { actions: [...round.actions, ...interest], launched: round.launched, problems: round.problems };
  }

  /**
   * A status update: terminal tasks leave the default placement book; a task
   * wanted with a `retry` policy that failed gets its relaunch planned (it
   * becomes pending at `tick()` once due), which is returned.
   */
  update(status: ITaskStatus, now = 0): PlannedRetry | undefined {
    this.book.update(status);
    return this.retries.onUpdate(status, now);
  }

  /**
   * A (re)subscription: explicit reconciliation of the known tasks (plus an
   * implicit one on the first subscription: the driver sends it after a
   * re-subscription), SUPPRESS if nothing is pending, REVIVE after a
   * re-subscription if something is.
   */
  subscribed(now: number, resubscribed: boolean): SchedulerAction[] {
    this.connected = true;
    this.pendingIds = new Set(this.groups().flatMap((g) => g.tasks.map((t) => t.taskId)));
    this.nextReconcileAt = now + this.policy.reconcileIntervalMs;
    const reconcile = this.explicitReconcile();
    if (!resubscribed) reconcile.push({ type: 'reconcile', tasks: [] });
    return [...reconcile, ...this.interest.subscribed(now, this.pendingIds.size > 0, resubscribed)];
  }

  /** The subscription is lost: no calls until the next {@link subscribed}. */
  disconnected(): void {
    this.connected = false;
    this.nextReconcileAt = undefined;
    this.interest.disconnected();
  }

  /** Time passed: a held-back REVIVE, the periodic reconciliation. */
  tick(now: number): SchedulerAction[] {
    const out: SchedulerAction[] = [];
    const due = this.retries.takeDue(now);
    for (const { key, task } of due) this.wanted.set(key, [...(this.wanted.get(key) ?? []), task]);
    if (due.length > 0) out.push(...this.changed(now));
    if (this.interest.nextWakeAt() !== undefined) out.push(...this.interest.tick(now, this.pendingIds.size > 0));
    if (this.connected && this.nextReconcileAt !== undefined && now >= this.nextReconcileAt) {
      this.nextReconcileAt = now + this.policy.reconcileIntervalMs;
      out.push(...this.explicitReconcile(), { type: 'reconcile', tasks: [] });
    }
    return out;
  }

  /** When {@link tick} next has something to do, if ever. */
  nextWakeAt(): number | undefined {
    const times = [this.interest.nextWakeAt(), this.nextReconcileAt, this.retries.nextDueAt()].filter(
      (t): t is number => t !== undefined,
    );
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Offer counters of a key (while it is wanted, until `unwant`). */
  offerStats(key: string): OfferStats | undefined {
    return this.stats.get(key);
  }

  /** Offer counters of every key that had pending tasks. */
  allOfferStats(): Map<string, OfferStats> {
    const out = new Map<string, OfferStats>();
    for (const key of this.stats.keys()) {
      const s = this.stats.get(key);
      if (s) out.set(key, s);
    }
    return out;
  }

  /** True after SUPPRESS (until a REVIVE or a new subscription). */
  get suppressed(): boolean {
    return this.interest.suppressed;
  }

  /** The pending tasks, per key (`want()` first, then `sources.pending`). */
  pending(): PendingGroup[] {
    return this.groups();
  }

  private groups(): PendingGroup[] {
    const out: PendingGroup[] = [...this.wanted].map(([key, tasks]) => ({ key, tasks }));
    if (this.sources.pending) for (const g of this.sources.pending()) if (g.tasks.length > 0) out.push(g);
    return out;
  }

  private explicitReconcile(): SchedulerAction[] {
    const known = [...(this.sources.known?.() ?? this.book.known())];
    const out: SchedulerAction[] = [];
    for (let i = 0; i < known.length; i += RECONCILE_BATCH) {
      out.push({ type: 'reconcile', tasks: known.slice(i, i + RECONCILE_BATCH) });
    }
    return out;
  }
}
