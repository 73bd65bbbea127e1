// The Scheduler: SchedulerCore's decisions sent through a SchedulerDriver,
// with one timer for the core's held-back REVIVE and periodic reconciliation.
import { createLogger, systemClock } from '@mesocosm/protocol';
import type { Clock, ITaskStatus, Logger, TimerHandle } from '@mesocosm/protocol';
import { DriverStoppedError } from '../errors.js';
import type { SchedulerDriver, Subscribed } from '../scheduler-driver.js';
import type { OfferStats } from './offer-stats.js';
import type { PlannedRetry } from './retry-book.js';
import { SchedulerCore, type SchedulerSources } from './scheduler-core.js';
import type { LaunchedTask, PendingGroup, SchedulerAction, SchedulerPolicy, WantedTask } from './types.js';

/** Options of {@link Scheduler}: the policy, the framework's sources, and callbacks. */
export interface SchedulerOptions extends SchedulerPolicy, SchedulerSources {
  /** Every status update, passed through; a returned promise is awaited before the update is acknowledged. */
  onUpdate?: (status: ITaskStatus) => void | Promise<void>;
  /** A relaunch of a failed task wanted with a `retry` policy was planned (it becomes pending at `retry.at`). */
  onRetry?: (retry: PlannedRetry) => void;
  /** Tasks just launched, called before their ACCEPT is sent (record them: `placed`, `known`, `pending`). */
  onLaunched?: (tasks: readonly LaunchedTask[]) => void;
  /** Time source for the REVIVE rate limit and reconciliation. Default: the system clock. */
  clock?: Clock;
  /** Default: a stderr logger named `scheduler`. */
  logger?: Logger;
}

/**
 * The starvation-free way to run a framework: declare what you want, and the
 * Scheduler places it on offers.
 *
 * - Pending tasks (`want(key, tasks)`, or `options.pending`) are matched on every
 *   OFFERS event with `matchOffers` and their `constraints`, against where the
 *   key's tasks already run (`options.placed`); one ACCEPT per used offer.
 * - Other offers are declined with a long filter (`declineRefuseSeconds`, 120 s)
 *   and structured reasons (`insufficient cpus`, `constraint hostname:UNIQUE`,
 *   `unfulfilled role`, ...), which the master keeps for "why is this not placed";
 *   `offerStats(key)` counts them per key.
 * - SUPPRESS when nothing is pending; REVIVE when something becomes pending, at
 *   most once per `minReviveIntervalMs` (5 s), coalesced.
 * - Explicit reconciliation of `options.known()` tasks after each subscription and
 *   every `reconcileIntervalMs` (10 min), with an implicit one.
 * - Status updates go to `options.onUpdate`.
 * - Tasks wanted with a `retry` policy are relaunched with backoff when they
 *   fail (`onRetry` reports each); others are the framework's to relaunch.
 *
 * @example
 * ```ts
 * const driver = new SchedulerDriver({ master: '127.0.0.1:5060', framework: { name: 'web', user: 'nobody' } });
 * const scheduler = new Scheduler(driver, { onUpdate: (s) => console.log(s.taskId?.value, taskStateName(s.state)) });
 * scheduler.want('/web', [1, 2].map((i) => ({
 *   taskId: `web.${i}`,
 *   resources: 'cpus:0.1;mem:32',
 *   command: { value: 'python3 -m http.server $PORT0' },
 *   ports: 1,
 *   constraints: parseConstraints([['hostname', 'UNIQUE']]),
 * })));
 * await scheduler.start();
 * ```
 */
export class Scheduler {
  private readonly core: SchedulerCore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private timer: TimerHandle | undefined;
  private subscriptions = 0;
  private stopped = false;

  /** Attaches to `driver` (its `subscribed`, `offers`, `update` and `disconnected` events); call {@link start} next. */
  constructor(
    /** The driver the Scheduler sends through; other handlers may be added to it. */
    readonly driver: SchedulerDriver,
    private readonly options: SchedulerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger('scheduler');
    this.core = new SchedulerCore(options, options);
    driver.on('subscribed', () => {
      this.run(this.core.subscribed(this.clock.now(), this.subscriptions++ > 0));
    });
    driver.on('offers', ({ offers }) => this.onOffers(offers ?? []));
    driver.on('update', async ({ status }) => {
      if (!status) return;
      const retry = this.core.update(status, this.clock.now());
      if (retry) {
        this.logger.info('task failed: relaunch planned', { ...retry, state: String(retry.state) });
        options.onRetry?.(retry);
        this.reschedule();
      }
      await options.onUpdate?.(status);
      if (options.pending) this.run(this.core.changed(this.clock.now()));
    });
    driver.on('disconnected', () => {
      this.core.disconnected();
      this.reschedule();
    });
  }

  /** Starts the driver (see `SchedulerDriver.start`). */
  start(): Promise<Subscribed> {
    return this.driver.start();
  }

  /** Stops the timer and the driver; the framework stays registered for its failover timeout. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.reschedule();
    await this.driver.stop();
  }

  /**
   * Sets the tasks wanted under `key` (Marathon: an app's instances to launch),
   * replacing what the key had. New tasks trigger a (rate-limited) REVIVE.
   * A launched task leaves the key; `onLaunched` says which.
   *
   * @throws ValidationError when a task's resources are malformed.
   */
  want(key: string, tasks: WantedTask | readonly WantedTask[]): void {
    const list: readonly WantedTask[] = Array.isArray(tasks) ? tasks : [tasks as WantedTask];
    this.run(this.core.want(key, list, this.clock.now()));
  }

  /** Drops the key's pending tasks and counters; SUPPRESS if nothing else is pending. */
  unwant(key: string): void {
    this.run(this.core.unwant(key, this.clock.now()));
  }

  /** Tells the Scheduler that `options.pending()` changed (REVIVE or SUPPRESS as needed). */
  refresh(): void {
    this.run(this.core.changed(this.clock.now()));
  }

  /** What is pending, per key. */
  pending(): PendingGroup[] {
    return this.core.pending();
  }

  /** Offer counters of a key (Marathon's `/v2/queue` `processedOffersSummary`). */
  offerStats(key: string): OfferStats | undefined {
    return this.core.offerStats(key);
  }

  /** Offer counters of every key. */
  allOfferStats(): Map<string, OfferStats> {
    return this.core.allOfferStats();
  }

  /** True while offers are suppressed (nothing pending). */
  get suppressed(): boolean {
    return this.core.suppressed;
  }

  private onOffers(offers: Parameters<SchedulerCore['offers']>[0]): void {
    const decision = this.core.offers(offers, this.clock.now());
    for (const p of decision.problems) {
      this.logger.error('task not launched', { key: p.key, taskId: p.taskId, error: p.error.message });
    }
    if (decision.launched.length > 0) {
      try {
        this.options.onLaunched?.(decision.launched);
      } catch (err) {
        this.logger.error('onLaunched failed', { error: String(err) });
      }
    }
    this.run(decision.actions);
  }

  /** Sends the core's calls, then arms the timer for its next wake-up. */
  private run(actions: readonly SchedulerAction[]): void {
    if (this.stopped) return;
    for (const a of actions) if (!this.stopped) this.send(a);
    this.reschedule();
  }

  private send(a: SchedulerAction): void {
    try {
      this.sendNow(a);
    } catch (err) {
      // The driver stopped under us (e.g. another instance took over): nothing to send to.
      if (err instanceof DriverStoppedError) this.stopped = true;
      else throw err;
    }
  }

  private sendNow(a: SchedulerAction): void {
    switch (a.type) {
      case 'launch':
        this.logger.debug('launching', { offerId: a.offerId, tasks: a.tasks.map((t) => t.taskId?.value) });
        this.driver.launch(a.offerId, a.tasks);
        return;
      case 'decline':
        this.driver.decline(a.offerIds, { refuseSeconds: a.refuseSeconds }, a.reasons);
        return;
      case 'suppress':
        this.logger.debug('nothing pending: suppressing offers');
        this.driver.suppress();
        return;
      case 'revive':
        this.logger.debug('tasks pending: reviving offers');
        this.driver.revive();
        return;
      case 'reconcile':
        this.driver.reconcile(a.tasks);
        return;
    }
  }

  private reschedule(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const at = this.core.nextWakeAt();
    if (at === undefined) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.run(this.core.tick(this.clock.now()));
      },
      Math.max(0, at - this.clock.now()),
    );
  }
}
