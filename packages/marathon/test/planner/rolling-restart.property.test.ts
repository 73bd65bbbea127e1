// Property: for random instance counts, strategies and health flips, a rolling
// restart driven by restartDecision never drops the healthy count below the
// floor by its own kills, never exceeds the capacity bound, and finishes once
// health settles.

import { expect } from 'chai';
import fc from 'fast-check';
import {
  configVersion,
  isAvailable,
  isHealthy,
  restartDecision,
  upgradeBounds,
  type AppDefinition,
  type InstanceView,
} from '../../src/index.js';
import { app } from './fixtures.js';

interface Scenario {
  readonly oldCount: number;
  readonly instances: number;
  readonly min: number;
  readonly max: number;
  readonly checks: boolean;
  /** Per round: which instance (by index modulo count) flips to unhealthy, if any. */
  readonly flips: readonly (number | null)[];
  /** Per round: whether pending kills complete and staging instances start. */
  readonly progress: readonly boolean[];
}

const scenario = fc.record({
  oldCount: fc.integer({ min: 0, max: 12 }),
  instances: fc.integer({ min: 0, max: 12 }),
  min: fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  max: fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  checks: fc.boolean(),
  flips: fc.array(fc.option(fc.nat(20), { nil: null }), { maxLength: 40 }),
  progress: fc.array(fc.boolean(), { maxLength: 40 }),
});

function run(s: Scenario): void {
  const health = s.checks ? { healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' } }] } : {};
  const v1 = app({ id: 'svc', instances: s.oldCount, ...health });
  const v2: AppDefinition = app(
    {
      id: 'svc',
      cmd: 'v2',
      instances: s.instances,
      upgradeStrategy: { minimumHealthCapacity: s.min, maximumOverCapacity: s.max },
      ...health,
    },
    1000,
    v1,
  );
  const { minHealthy, maxCapacity } = upgradeBounds(s.instances, v2.upgradeStrategy);
  let instances: InstanceView[] = Array.from({ length: s.oldCount }, (_, i) => ({
    id: `old-${i}`,
    version: configVersion(v1),
    phase: 'running',
    healthy: true,
    startedAt: i,
  }));
  let next = 0;
  const counted = (list: readonly InstanceView[]): number =>
    list.filter(
      (i) => i.phase !== 'killing' && (i.version === configVersion(v2) ? isAvailable(v2, i) : isHealthy(v2, i)),
    ).length;

  for (let round = 0; round < 400; round++) {
    const settled = round >= s.flips.length;
    const d = restartDecision(v2, instances);
    if (d.done) {
      expect(instances.every((i) => i.version === configVersion(v2) && i.phase === 'running')).to.equal(true);
      expect(instances).to.have.length(s.instances);
      return;
    }
    const before = counted(instances);
    const totalBefore = instances.length;
    instances = instances.map((i) => (d.kill.includes(i.id) ? { ...i, phase: 'killing' as const } : i));
    // The decision's own kills never take the healthy count below the floor (or lower than it already was).
    expect(counted(instances), `round ${round}: kills ${d.kill.join(',')}`).to.be.at.least(
      Math.min(before, minHealthy),
    );
    for (let k = 0; k < d.start; k++) {
      instances.push({ id: `new-${next++}`, version: configVersion(v2), phase: 'staging', startedAt: 1000 + next });
    }
    // Launches never take the total over the capacity bound (kills still in flight count).
    expect(instances.length, `round ${round}`).to.be.at.most(Math.max(maxCapacity, totalBefore));
    if (d.kill.length === 0 && d.start === 0) expect(d.waiting, 'a stalled decision says why').to.be.a('string');

    // The world moves: kills finish, staging tasks start, health flips until it settles.
    const moves = settled || (s.progress[round] ?? true);
    if (moves) {
      instances = instances
        .filter((i) => i.phase !== 'killing')
        .map((i) => (i.phase === 'staging' ? { ...i, phase: 'running' as const, healthy: true } : i));
    }
    const flip = settled ? null : (s.flips[round] ?? null);
    if (flip !== null && instances.length > 0) {
      const target = instances[flip % instances.length];
      instances = instances.map((i) => (i === target ? { ...i, healthy: false } : i));
    }
    if (settled) instances = instances.map((i) => ({ ...i, healthy: true }));
  }
  expect.fail(`restart did not finish: ${JSON.stringify(s)}`);
}

describe('rolling restart (property)', () => {
  it('keeps healthy >= floor and total <= capacity at every step, and terminates', () => {
    fc.assert(fc.property(scenario, run), { numRuns: 400 });
  });

  it('holds for the strategy Marathon users set most: 1/0 with 5 instances and flaky health', () => {
    run({
      oldCount: 5,
      instances: 5,
      min: 1,
      max: 0,
      checks: true,
      flips: [0, 3, null, 1, 4, 2, null, 0],
      progress: [true, false, true],
    });
  });
});
