// Polling a container for a resource limitation (OOM kill counter, resident
// memory) while its task runs: one timer at a time, stopped for good by stop().
import type { Clock, TimerHandle } from '@mesocosm/protocol';
import type { Limitation } from './isolator.js';

/** How a container is polled. */
export interface LimitPollerOptions {
  readonly clock: Clock;
  readonly intervalMs: number;
  /** One look: the limitation hit, or undefined. */
  readonly check: () => Promise<Limitation | undefined>;
  /** A failed look; the poller keeps polling only when `continueOnError`. */
  readonly onError: (err: unknown) => void;
  readonly continueOnError: boolean;
}

/** Calls `check` every `intervalMs` until it reports a limitation or the poller is stopped. */
export class LimitPoller {
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly options: LimitPollerOptions) {}

  /** Starts polling; `onLimit` is called once, with the first limitation found. */
  start(onLimit: (limitation: Limitation) => void): void {
    const { clock, intervalMs, check, onError, continueOnError } = this.options;
    const poll = (): void => {
      this.timer = undefined;
      if (this.stopped) return;
      check()
        .then((hit) => {
          if (this.stopped) return;
          if (hit) onLimit(hit);
          else this.timer = clock.setTimeout(poll, intervalMs);
        })
        .catch((err: unknown) => {
          onError(err);
          if (continueOnError && !this.stopped) this.timer = clock.setTimeout(poll, intervalMs);
        });
    };
    this.timer = clock.setTimeout(poll, intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
