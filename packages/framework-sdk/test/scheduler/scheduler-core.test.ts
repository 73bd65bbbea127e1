// The Scheduler's pure core, driven by hand-fed offers and a FakeClock's time.
import { expect } from 'chai';
import {
  FakeClock,
  Resources,
  SchedulerCore,
  TaskState,
  ValidationError,
  parseAttributes,
  parseConstraints,
  type IOffer,
  type PendingGroup,
  type SchedulerAction,
  type WantedTask,
} from '../../src/index.js';

function offer(id: string, hostname: string, resources = 'cpus:2;mem:1024', extra: Partial<IOffer> = {}): IOffer {
  return {
    id: { value: id },
    agentId: { value: `agent-${hostname}` },
    hostname,
    resources: Resources.parse(resources).toProto(),
    allocationRole: '*',
    ...extra,
  };
}

function task(taskId: string, extra: Partial<WantedTask> = {}): WantedTask {
  return { taskId, resources: 'cpus:1;mem:64', command: { value: 'sleep 100' }, ...extra };
}

const types = (actions: readonly SchedulerAction[]): string[] => actions.map((a) => a.type);
const unique = parseConstraints([['hostname', 'UNIQUE']]);

describe('SchedulerCore', () => {
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock(1_000_000);
  });

  describe('offers', () => {
    it('launches one ACCEPT per used offer and declines the rest with a 120 s filter and reasons', () => {
      const core = new SchedulerCore();
      core.subscribed(clock.now(), false);
      core.want(
        '/web',
        ['web.1', 'web.2', 'web.3'].map((id) => task(id, { constraints: unique })),
        clock.now(),
      );
      const offers = [offer('o1', 'h1'), offer('o2', 'h2', 'cpus:0.5;mem:1024'), offer('o3', 'h3')];
      const d = core.offers(offers, clock.now());

      expect(types(d.actions)).to.deep.equal(['launch', 'launch', 'decline']);
      const launches = d.actions.filter((a) => a.type === 'launch');
      expect(launches.map((a) => [a.offerId, a.tasks.map((t) => t.taskId?.value)])).to.deep.equal([
        ['o1', ['web.1']],
        ['o3', ['web.2']],
      ]);
      expect(launches[0]?.tasks[0]?.agentId?.value).to.equal('agent-h1');
      const decline = d.actions.find((a) => a.type === 'decline');
      expect(decline).to.deep.include({ offerIds: ['o2'], refuseSeconds: 120 });
      expect(decline?.type === 'decline' && decline.reasons).to.deep.members([
        { reason: 'insufficient cpus', count: 1, detail: 'need up to 1, offers have at most 0.5' },
        { reason: 'constraint hostname:UNIQUE', count: 1, detail: 'refused 2 offer(s)' },
      ]);
      expect(d.launched.map((l) => [l.key, l.taskId, l.offer.hostname])).to.deep.equal([
        ['/web', 'web.1', 'h1'],
        ['/web', 'web.2', 'h3'],
      ]);
      // web.3 fits nowhere: still pending, so no SUPPRESS.
      expect(core.pending()).to.deep.equal([{ key: '/web', tasks: [task('web.3', { constraints: unique })] }]);
      expect(core.suppressed).to.equal(false);
    });

    it('counts per key why offers were not used (Marathon /v2/queue)', () => {
      const core = new SchedulerCore({ declineRefuseSeconds: 30 });
      core.subscribed(clock.now(), false);
      core.want('/web', [task('web.1', { constraints: unique, placed: [{ hostname: 'h1' }] })], clock.now());
      core.want('/big', [task('big.1', { resources: 'cpus:8' })], clock.now());
      const d = core.offers([offer('o1', 'h1'), offer('o2', 'h2', 'cpus:0.5;mem:1024')], clock.now());
      expect(d.actions.find((a) => a.type === 'decline')).to.deep.include({
        offerIds: ['o1', 'o2'],
        refuseSeconds: 30,
      });

      expect(core.offerStats('/web')).to.deep.equal({
        processedOffers: 2,
        unusedOffers: 2,
        lastUnusedOfferAt: clock.now(),
        rejections: { 'constraint hostname:UNIQUE': 1, 'insufficient cpus': 1 },
        lastRejections: { 'constraint hostname:UNIQUE': 1, 'insufficient cpus': 1 },
      });
      expect(core.offerStats('/big')?.rejections).to.deep.equal({ 'insufficient cpus': 2 });

      clock.advance(1000);
      core.offers([offer('o3', 'h3')], clock.now());
      const web = core.offerStats('/web');
      expect(web).to.deep.include({ processedOffers: 3, unusedOffers: 2, lastUsedOfferAt: clock.now() });
      expect(web?.lastRejections).to.deep.equal({});
      expect(core.offerStats('/big')?.lastRejections).to.deep.equal({ 'insufficient cpus': 1 });
      expect([...core.allOfferStats().keys()]).to.have.members(['/web', '/big']);
      core.unwant('/big', clock.now());
      expect(core.offerStats('/big')).to.equal(undefined);
    });

    it('declines with reason "unfulfilled role" offers of roles a task does not accept', () => {
      const core = new SchedulerCore();
      core.subscribed(clock.now(), false);
      core.want('/web', [task('web.1', { roles: ['web'] })], clock.now());
      const d = core.offers([offer('o1', 'h1', 'cpus:2;mem:1024', { allocationRole: '*' })], clock.now());
      const decline = d.actions.find((a) => a.type === 'decline');
      expect(decline?.type === 'decline' && decline.reasons.map((r) => r.reason)).to.deep.equal(['unfulfilled role']);
      const d2 = core.offers([offer('o2', 'h1', 'cpus(web):2;mem(web):1024', { allocationRole: 'web' })], clock.now());
      expect(types(d2.actions)).to.deep.equal(['launch', 'suppress']);
    });

    it('lets build() shape the TaskInfo; a build that throws leaves the task pending', () => {
      const core = new SchedulerCore();
      core.subscribed(clock.now(), false);
      let fail = true;
      const build: WantedTask['build'] = ({ key, offer: o, task: t }) => {
        if (fail) throw new Error('no volume');
        return {
          ...t,
          labels: {
            labels: [
              { key: 'app', value: key },
              { key: 'host', value: o.hostname ?? '' },
            ],
          },
        };
      };
      core.want('/web', [task('web.1', { build })], clock.now());
      const d1 = core.offers([offer('o1', 'h1')], clock.now());
      expect(types(d1.actions)).to.deep.equal(['decline']);
      expect(d1.problems.map((p) => [p.key, p.taskId, p.error.message])).to.deep.equal([
        ['/web', 'web.1', 'no volume'],
      ]);
      expect(core.pending().map((g) => g.key)).to.deep.equal(['/web']);

      fail = false;
      const d2 = core.offers([offer('o2', 'h2')], clock.now());
      const launch = d2.actions[0];
      expect(launch?.type === 'launch' && launch.tasks[0]?.labels?.labels).to.deep.equal([
        { key: 'app', value: '/web' },
        { key: 'host', value: 'h2' },
      ]);
    });

    it('refuses malformed resources at want()', () => {
      const core = new SchedulerCore();
      expect(() => core.want('/x', [task('x.1', { resources: 'cpus:lots' })], clock.now())).to.throw(
        ValidationError,
        /task x.1.resources/,
      );
    });

    it('places against where the key already runs: its own launches by default, else options.placed', () => {
      const core = new SchedulerCore();
      core.subscribed(clock.now(), false);
      core.want('/web', [task('web.1', { constraints: unique })], clock.now());
      core.offers([offer('o1', 'h1')], clock.now());
      core.want('/web', [task('web.2', { constraints: unique })], clock.now());
      expect(types(core.offers([offer('o2', 'h1')], clock.now()).actions)).to.deep.equal(['decline']);
      // Once web.1 is gone, h1 is free again.
      core.update({ taskId: { value: 'web.1' }, state: TaskState.TASK_FINISHED });
      expect(types(core.offers([offer('o3', 'h1')], clock.now()).actions)).to.deep.equal(['launch']);

      const framework = new SchedulerCore({}, { placed: (key) => (key === '/db' ? [{ hostname: 'h9' }] : []) });
      framework.subscribed(clock.now(), false);
      framework.want('/db', [task('db.1', { constraints: unique })], clock.now());
      expect(types(framework.offers([offer('o4', 'h9')], clock.now()).actions)).to.deep.equal(['decline']);
    });
  });

  describe('suppress and revive', () => {
    it('suppresses when nothing is pending, once; declines offers that still arrive', () => {
      const core = new SchedulerCore();
      expect(types(core.subscribed(clock.now(), false))).to.deep.equal(['reconcile', 'suppress']);
      const d = core.offers([offer('o1', 'h1')], clock.now());
      expect(d.actions).to.deep.equal([{ type: 'decline', offerIds: ['o1'], refuseSeconds: 120, reasons: [] }]);
      expect(core.suppressed).to.equal(true);
    });

    it('revives when work appears, at most once per 5 s, coalescing the requests in between', () => {
      const core = new SchedulerCore();
      core.subscribed(clock.now(), false); // suppress
      expect(types(core.want('/a', [task('a.1')], clock.now()))).to.deep.equal(['revive']);
      expect(core.suppressed).to.equal(false);
      expect(types(core.offers([offer('o1', 'h1')], clock.now()).actions)).to.deep.equal(['launch', 'suppress']);

      clock.advance(1000);
      expect(core.want('/b', [task('b.1')], clock.now())).to.deep.equal([]);
      clock.advance(1000);
      expect(core.want('/c', [task('c.1')], clock.now())).to.deep.equal([]);
      expect(core.nextWakeAt()).to.equal(1_005_000);
      expect(core.tick(1_004_999)).to.deep.equal([]);
      expect(core.tick(1_005_000)).to.deep.equal([{ type: 'revive' }]);
      expect(core.nextWakeAt()).to.equal(1_600_000); // only the periodic reconciliation is left
      // The same tasks still pending is no new work: no REVIVE (their offers are filtered on purpose).
      expect(core.changed(1_020_000)).to.deep.equal([]);
      // A new task is, and 15 s later the rate limit allows it at once.
      expect(core.want('/d', [task('d.1')], 1_020_000)).to.deep.equal([{ type: 'revive' }]);
    });

    it('drops a held-back REVIVE when the work is gone before it is due', () => {
      const core = new SchedulerCore({ minReviveIntervalMs: 10_000 });
      core.subscribed(clock.now(), false);
      core.want('/a', [task('a.1')], clock.now()); // revive at t0
      core.unwant('/a', clock.now()); // suppress
      expect(core.want('/b', [task('b.1')], clock.now() + 1)).to.deep.equal([]);
      expect(core.unwant('/b', clock.now() + 2)).to.deep.equal([]); // already suppressed
      expect(core.nextWakeAt()).to.equal(clock.now() + 600_000); // the reconciliation, no REVIVE
      expect(core.tick(clock.now() + 10_000)).to.deep.equal([]);
    });

    it('re-reads options.pending(): launched tasks leave it, new task IDs revive', () => {
      let groups: PendingGroup[] = [];
      const core = new SchedulerCore({}, { pending: () => groups });
      core.subscribed(clock.now(), false);
      groups = [{ key: 'job-1', tasks: [task('job-1.run-1')] }];
      expect(core.changed(clock.now())).to.deep.equal([{ type: 'revive' }]);
      // The framework has not dropped the launched task yet: it is not placed twice, and nothing is left.
      const d = core.offers([offer('o1', 'h1')], clock.now());
      expect(types(d.actions)).to.deep.equal(['launch', 'suppress']);
      groups = [];
      expect(core.changed(clock.now())).to.deep.equal([]);
    });

    it('after a re-subscription: the master forgot the suppression, so SUPPRESS again or REVIVE', () => {
      const core = new SchedulerCore();
      core.subscribed(clock.now(), false);
      core.disconnected();
      expect(core.want('/a', [task('a.1')], clock.now())).to.deep.equal([]); // nothing sent while away
      clock.advance(60_000);
      expect(types(core.subscribed(clock.now(), true))).to.deep.equal(['revive']);
      core.unwant('/a', clock.now());
      core.disconnected();
      expect(types(core.subscribed(clock.now(), true))).to.deep.equal(['suppress']);
    });
  });

  describe('reconciliation', () => {
    it('reconciles known tasks at subscription and every 10 minutes, with an implicit one', () => {
      const known = [{ taskId: 't1', agentId: 'a1' }, { taskId: 't2' }];
      const core = new SchedulerCore({}, { known: () => known });
      const start = clock.now();
      expect(core.subscribed(start, false)).to.deep.equal([
        { type: 'reconcile', tasks: known },
        { type: 'reconcile', tasks: [] },
        { type: 'suppress' },
      ]);
      expect(core.nextWakeAt()).to.equal(start + 600_000);
      expect(core.tick(start + 599_999)).to.deep.equal([]);
      expect(core.tick(start + 600_000)).to.deep.equal([
        { type: 'reconcile', tasks: known },
        { type: 'reconcile', tasks: [] },
      ]);
      expect(core.nextWakeAt()).to.equal(start + 1_200_000);

      // After a re-subscription: explicit only (the driver sends the implicit one), and the period restarts.
      core.disconnected();
      expect(core.nextWakeAt()).to.equal(undefined);
      expect(core.tick(start + 1_200_000)).to.deep.equal([]);
      expect(core.subscribed(start + 1_300_000, true)).to.deep.equal([
        { type: 'reconcile', tasks: known },
        { type: 'suppress' },
      ]);
      expect(core.nextWakeAt()).to.equal(start + 1_900_000);
    });

    it('knows its own launches by default, until they are terminal; batches large lists', () => {
      const core = new SchedulerCore({ reconcileIntervalMs: 1000 });
      core.subscribed(clock.now(), false);
      core.want('/web', [task('web.1'), task('web.2', { resources: 'cpus:0.5' })], clock.now());
      core.offers([offer('o1', 'h1')], clock.now());
      core.update({ taskId: { value: 'web.2' }, state: TaskState.TASK_FAILED });
      core.update({ taskId: { value: 'web.1' }, state: TaskState.TASK_RUNNING });
      expect(core.tick(clock.now() + 1000)[0]).to.deep.equal({
        type: 'reconcile',
        tasks: [{ taskId: 'web.1', agentId: 'agent-h1' }],
      });

      const many = Array.from({ length: 2500 }, (_, i) => ({ taskId: `t${i}` }));
      const big = new SchedulerCore({}, { known: () => many });
      const calls = big.subscribed(clock.now(), true).filter((a) => a.type === 'reconcile');
      expect(calls.map((a) => (a.type === 'reconcile' ? a.tasks.length : -1))).to.deep.equal([1000, 1000, 500]);
    });
  });

  it('reads attributes of offers for constraints (rack MAX_PER)', () => {
    const core = new SchedulerCore({ strategy: 'pack' });
    core.subscribed(clock.now(), false);
    const maxPer = parseConstraints([['rack', 'MAX_PER', '1']]);
    core.want('/a', [task('a.1', { constraints: maxPer }), task('a.2', { constraints: maxPer })], clock.now());
    const rack = (r: string) => ({ attributes: parseAttributes(`rack:${r}`) });
    const d = core.offers(
      [offer('o1', 'h1', 'cpus:4;mem:256', rack('r1')), offer('o2', 'h2', 'cpus:4;mem:256', rack('r1'))],
      clock.now(),
    );
    expect(d.launched.map((l) => l.taskId)).to.deep.equal(['a.1']);
    expect(core.offerStats('/a')?.rejections).to.deep.equal({ 'constraint rack:MAX_PER:1': 1 });
  });
});
