// The health state machine and its clock-driven monitor, on a FakeClock with scripted probe results.
import { expect } from 'chai';
import { FakeClock } from '@mesocosm/protocol';
import { HealthMonitor, type Probe } from '../../src/health/health-monitor.js';
import type { HealthSpec } from '../../src/health/health-spec.js';
import { healthStep, INITIAL_HEALTH, type CheckResult } from '../../src/health/health-state.js';

const ok: CheckResult = { ok: true };
const bad = (why = 'HTTP 500'): CheckResult => ({ ok: false, why });

/** Lets the probe's promise callbacks run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function spec(over: Partial<HealthSpec> = {}): HealthSpec {
  return {
    delayMs: 1000,
    intervalMs: 500,
    timeoutMs: 200,
    gracePeriodMs: 0,
    consecutiveFailures: 3,
    probe: { type: 'tcp', port: 1 },
    ...over,
  };
}

/** A monitor whose probe answers from `script` (then keeps answering the last one); records events. */
function harness(s: HealthSpec, script: (CheckResult | 'hang')[]) {
  const clock = new FakeClock(1_000_000);
  const events: string[] = [];
  const probeTimes: number[] = [];
  let i = 0;
  const probe: Probe = (signal) => {
    probeTimes.push(clock.now());
    const r = script[Math.min(i++, script.length - 1)]!;
    if (r === 'hang')
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(bad('aborted')), { once: true }));
    return Promise.resolve(r);
  };
  const monitor = new HealthMonitor(s, probe, clock, {
    onChange: (healthy, why) => events.push(healthy ? 'healthy' : `unhealthy: ${why}`),
    onKill: (n, why) => events.push(`kill after ${n}: ${why}`),
  });
  return { clock, events, probeTimes, monitor };
}

/** Advances the clock step by step, letting probe results land in between. */
async function run(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await flush();
  }
}

describe('health: state machine', () => {
  const policy = { gracePeriodMs: 1000, consecutiveFailures: 2 };

  it('ignores failures in the grace period, counts them after it, and kills after enough in a row', () => {
    let s = healthStep(INITIAL_HEALTH, bad(), 500, policy);
    expect(s).to.deep.equal({ state: INITIAL_HEALTH, ignored: true });
    s = healthStep(s.state, bad(), 1000, policy);
    expect(s).to.deep.equal({ state: { healthy: false, consecutiveFailures: 1, graceOver: true }, changed: true });
    s = healthStep(s.state, bad(), 1500, policy);
    expect(s).to.deep.equal({ state: { healthy: false, consecutiveFailures: 2, graceOver: true }, kill: true });
  });

  it('ends the grace period at the first success; reports changes only; a success resets the count', () => {
    let s = healthStep(INITIAL_HEALTH, ok, 10, policy);
    expect(s).to.deep.equal({ state: { healthy: true, consecutiveFailures: 0, graceOver: true }, changed: true });
    expect(healthStep(s.state, ok, 20, policy).changed).to.equal(undefined);
    s = healthStep(s.state, bad(), 30, policy); // within the grace time, but it ended
    expect(s.changed).to.equal(true);
    expect(s.state.consecutiveFailures).to.equal(1);
    s = healthStep(s.state, ok, 40, policy);
    expect(s.state.consecutiveFailures).to.equal(0);
    expect(s.changed).to.equal(true);
  });

  it('never kills with consecutive_failures 0', () => {
    let state = INITIAL_HEALTH;
    for (let i = 0; i < 50; i++) {
      const s = healthStep(state, bad(), 5000, { gracePeriodMs: 0, consecutiveFailures: 0 });
      expect(s.kill).to.equal(undefined);
      state = s.state;
    }
    expect(state.consecutiveFailures).to.equal(50);
  });
});

describe('health: monitor on a fake clock', () => {
  it('checks first after the delay, then an interval after each check', async () => {
    const h = harness(spec(), [ok]);
    h.monitor.start();
    await run(h.clock, 900);
    expect(h.probeTimes).to.deep.equal([]);
    await run(h.clock, 1200);
    expect(h.probeTimes.map((t) => t - 1_000_000)).to.deep.equal([1000, 1500, 2000]);
    expect(h.events).to.deep.equal(['healthy']);
    expect(h.monitor.checks).to.equal(3);
  });

  it('turns unhealthy, then kills after the consecutive failures and stops checking', async () => {
    const h = harness(spec(), [ok, ok, bad('HTTP 500'), bad('HTTP 500'), bad('HTTP 503')]);
    h.monitor.start();
    await run(h.clock, 5000);
    expect(h.events).to.deep.equal(['healthy', 'unhealthy: HTTP 500', 'kill after 3: HTTP 503']);
    expect(h.probeTimes).to.have.length(5);
    expect(h.clock.pendingTimers).to.equal(0);
  });

  it('fails a check that outlives its timeout', async () => {
    const h = harness(spec({ consecutiveFailures: 2 }), ['hang']);
    h.monitor.start();
    await run(h.clock, 3000);
    expect(h.events).to.deep.equal(['unhealthy: timed out after 0.2 s', 'kill after 2: timed out after 0.2 s']);
    // The second check started an interval after the first timed out.
    expect(h.probeTimes.map((t) => t - 1_000_000)).to.deep.equal([1000, 1700]);
  });

  it('does not count failures during the grace period', async () => {
    const h = harness(spec({ delayMs: 0, gracePeriodMs: 2000, consecutiveFailures: 1 }), [bad('refused')]);
    h.monitor.start();
    await run(h.clock, 1900);
    expect(h.events).to.deep.equal([]);
    await run(h.clock, 600);
    expect(h.events).to.deep.equal(['unhealthy: refused', 'kill after 1: refused']);
  });

  it('stops: no more checks, and a check in flight is ignored', async () => {
    const h = harness(spec({ delayMs: 0 }), ['hang']);
    h.monitor.start();
    await run(h.clock, 100);
    expect(h.probeTimes).to.have.length(1);
    h.monitor.stop();
    await run(h.clock, 5000);
    expect(h.events).to.deep.equal([]);
    expect(h.probeTimes).to.have.length(1);
    expect(h.clock.pendingTimers).to.equal(0);
  });
});
