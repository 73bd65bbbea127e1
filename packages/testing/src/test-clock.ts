// A fake clock for a whole LocalCluster: time moves only when the test
// advances it, but work scheduled "for now" (a zero-delay timer, as the
// master's allocation uses) still runs, on the next turn of the event loop.
import { FakeClock } from '@mesocosm/protocol';
import type { TimerHandle } from '@mesocosm/protocol';

/**
 * A {@link FakeClock} for clusters: `now()` stands still until {@link advance},
 * and timers due at the current time fire on the next turn of the event loop
 * (a plain `FakeClock` would hold them until the next `advance`, so the
 * master would never allocate). Give it to `LocalCluster.start({ clock })`
 * and, if you like, to your `SchedulerDriver` and `Scheduler`.
 *
 * @example
 * ```ts
 * const clock = new TestClock();
 * const cluster = await LocalCluster.start({ clock, agents: [{ simulated: { runMs: 5_000 } }] });
 * // ... launch a task, wait for TASK_RUNNING ...
 * await cluster.advance(5_000); // the simulated task ends now, not before
 * ```
 */
export class TestClock extends FakeClock {
  private flushQueued = false;

  /** Starts at `start` ms since the epoch (default: the real time when it is made). */
  constructor(start: number = Date.now()) {
    super(start);
  }

  /** As `FakeClock.setTimeout`; a timer due now (`ms <= 0`) also fires on the next turn of the event loop. */
  override setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = super.setTimeout(fn, ms);
    if (ms <= 0 && !this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => {
        this.flushQueued = false;
        this.advance(0);
      });
    }
    return handle;
  }
}
