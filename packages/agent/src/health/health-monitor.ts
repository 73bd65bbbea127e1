// Runs one task's checks on a clock: the first after the delay, then one
// `interval` after each ends; each bounded by the timeout. Results go
// through the pure state machine; changes and the kill go to callbacks.
// I/O only through the probe it is given; time only through its Clock.
import type { Clock, TimerHandle } from '@mesocosm/protocol';
import type { HealthSpec } from './health-spec.js';
import { healthStep, INITIAL_HEALTH, type CheckResult, type HealthState } from './health-state.js';

/** One check: resolves with its result; should stop when `signal` aborts (the timeout). */
export type Probe = (signal: AbortSignal) => Promise<CheckResult>;

/** Where a monitor's news goes. */
export interface HealthMonitorEvents {
  /** Health changed; `why` is the failure's cause when unhealthy. */
  onChange(healthy: boolean, why: string | undefined): void;
  /** `failures` failures in a row: kill the task. Checking has stopped. */
  onKill(failures: number, why: string): void;
}

/** See the file comment. */
export class HealthMonitor {
  private state: HealthState = INITIAL_HEALTH;
  private timer: TimerHandle | undefined;
  private startedAt = 0;
  private stopped = false;
  private running: AbortController | undefined;
  /** How many checks have completed (for tests and logs). */
  checks = 0;

  constructor(
    private readonly spec: HealthSpec,
    private readonly probe: Probe,
    private readonly clock: Clock,
    private readonly events: HealthMonitorEvents,
  ) {}

  /** The task's health so far. */
  get health(): HealthState {
    return this.state;
  }

  /** Starts checking (now counts as the start of the grace period). */
  start(): void {
    this.startedAt = this.clock.now();
    this.schedule(this.spec.delayMs);
  }

  /** Stops checking; a check in flight is aborted and its result ignored. */
  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.running?.abort();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, ms);
  }

  private check(): void {
    const abort = new AbortController();
    this.running = abort;
    let settled = false;
    const settle = (r: CheckResult): void => {
      if (settled) return;
      settled = true;
      this.clock.clearTimeout(timeout);
      this.running = undefined;
      abort.abort();
      if (!this.stopped) this.record(r);
    };
    const timeout = this.clock.setTimeout(
      () => settle({ ok: false, why: `timed out after ${this.spec.timeoutMs / 1000} s` }),
      this.spec.timeoutMs,
    );
    this.probe(abort.signal).then(settle, (err: unknown) =>
      settle({ ok: false, why: err instanceof Error ? err.message : String(err) }),
    );
  }

  private record(r: CheckResult): void {
    this.checks++;
    const step = healthStep(this.state, r, this.clock.now() - this.startedAt, this.spec);
    this.state = step.state;
    const why = r.ok ? undefined : r.why;
    if (step.changed) this.events.onChange(r.ok, why);
    if (step.kill) {
      this.stop();
      this.events.onKill(step.state.consecutiveFailures, why ?? '');
      return;
    }
    this.schedule(this.spec.intervalMs);
  }
}
