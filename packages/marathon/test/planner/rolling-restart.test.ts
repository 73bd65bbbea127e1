import { expect } from 'chai';
import { configVersion, restartDecision, upgradeBounds, type InstanceView } from '../../src/index.js';
import { app, running, T0 } from './fixtures.js';

function fresh(of: ReturnType<typeof app>, id: string, patch: Partial<InstanceView> = {}): InstanceView {
  return {
    id,
    version: configVersion(of),
    phase: 'running',
    healthy: true,
    ready: true,
    startedAt: T0 + 60_000,
    ...patch,
  };
}

describe('upgradeBounds', () => {
  it('rounds as Marathon: ceil for the healthy floor, floor for the capacity', () => {
    expect(upgradeBounds(3, { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 })).to.deep.equal({
      minHealthy: 2,
      maxCapacity: 4,
    });
    expect(upgradeBounds(10, { minimumHealthCapacity: 0.7, maximumOverCapacity: 0.15 })).to.deep.equal({
      minHealthy: 7,
      maxCapacity: 11,
    });
    expect(upgradeBounds(4, { minimumHealthCapacity: 1, maximumOverCapacity: 1 })).to.deep.equal({
      minHealthy: 4,
      maxCapacity: 8,
    });
  });

  it('allows one over capacity when the bounds meet (min 1, max 0), as Marathon does', () => {
    expect(upgradeBounds(3, { minimumHealthCapacity: 1, maximumOverCapacity: 0 })).to.deep.equal({
      minHealthy: 3,
      maxCapacity: 4,
    });
    expect(upgradeBounds(0, { minimumHealthCapacity: 1, maximumOverCapacity: 0 })).to.deep.equal({
      minHealthy: 0,
      maxCapacity: 0,
    });
  });
});

describe('restartDecision', () => {
  const v1 = app({ id: 'web', instances: 3 });
  const strategy = (min: number, max: number): Record<string, unknown> => ({
    id: 'web',
    instances: 3,
    cmd: 'v2',
    upgradeStrategy: { minimumHealthCapacity: min, maximumOverCapacity: max },
  });

  it('with the default 1/1 starts all new instances and kills nothing yet', () => {
    const v2 = app(strategy(1, 1), 1000, v1);
    const d = restartDecision(v2, running(v1, 3));
    expect(d).to.include({ start: 3, done: false });
    expect(d.kill).to.deep.equal([]);
  });

  it('with 1/0 rolls one by one: one extra, then one old per new healthy', () => {
    const v2 = app(strategy(1, 0), 1000, v1);
    const old = running(v1, 3);
    expect(restartDecision(v2, old)).to.deep.include({ kill: [], start: 1 });
    const staging = fresh(v2, 'new-0', { phase: 'staging', healthy: undefined });
    expect(restartDecision(v2, [...old, staging])).to.deep.include({ kill: [], start: 0 });
    const healthy = fresh(v2, 'new-0');
    const d = restartDecision(v2, [...old, healthy]);
    expect(d.kill).to.deep.equal(['old-2']);
    expect(d.start).to.equal(0);
  });

  it('with minimumHealthCapacity 0 kills every old instance first', () => {
    const v2 = app(strategy(0, 0), 1000, v1);
    const d = restartDecision(v2, running(v1, 3));
    expect([...d.kill].sort()).to.deep.equal(['old-0', 'old-1', 'old-2']);
    expect(d.start).to.equal(0);
    const killing = running(v1, 3).map((i) => ({ ...i, phase: 'killing' as const }));
    expect(restartDecision(v2, killing)).to.deep.include({ kill: [], start: 0 });
    expect(restartDecision(v2, [])).to.deep.include({ kill: [], start: 3, done: false });
  });

  it('with 0.5/0 kills down to the healthy floor, then refills', () => {
    const v2 = app({ ...strategy(0.5, 0), instances: 4 }, 1000, v1);
    const d = restartDecision(v2, running(v1, 4));
    expect(d.kill).to.have.length(2);
    expect(d.start).to.equal(0);
    expect(d.snapshot).to.include({ minHealthy: 2, maxCapacity: 4 });
  });

  it('kills unhealthy old instances at once: they hold no capacity', () => {
    const v2 = app(strategy(1, 0), 1000, v1);
    const old = running(v1, 3);
    const sick = old.map((i, n) => (n === 0 ? { ...i, healthy: false } : i));
    const withChecks = app({ ...strategy(1, 0), healthChecks: [{ protocol: 'TCP' }] }, 1000, v1);
    expect(restartDecision(withChecks, sick).kill).to.deep.equal(['old-0']);
    expect(restartDecision(v2, sick).kill).to.deep.equal([]); // without health checks every running one counts
  });

  it('waits for readiness before counting a new instance', () => {
    const v2 = app(
      { ...strategy(1, 0), portDefinitions: [{ port: 0, name: 'http-api' }], readinessChecks: [{}] },
      1000,
      v1,
    );
    const old = running(v1, 3);
    const notReady = fresh(v2, 'new-0', { ready: undefined });
    const d = restartDecision(v2, [...old, notReady]);
    expect(d.kill).to.deep.equal([]);
    expect(d.waiting).to.match(/healthy and ready/);
    expect(restartDecision(v2, [...old, fresh(v2, 'new-0')]).kill).to.have.length(1);
  });

  it('is done when only healthy new instances remain, as many as wanted', () => {
    const v2 = app(strategy(1, 1), 1000, v1);
    const all = [fresh(v2, 'a'), fresh(v2, 'b'), fresh(v2, 'c')];
    expect(restartDecision(v2, all)).to.deep.include({ kill: [], start: 0, done: true });
    expect(restartDecision(v2, all.slice(0, 2)).done).to.equal(false);
  });

  it('kills surplus new instances left by an interrupted deployment', () => {
    const v2 = app({ ...strategy(1, 1), instances: 2 }, 1000, v1);
    const d = restartDecision(v2, [fresh(v2, 'a'), fresh(v2, 'b'), fresh(v2, 'c', { startedAt: T0 + 99_000 })]);
    expect(d.kill).to.deep.equal(['c']);
  });
});
