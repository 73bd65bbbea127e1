import { expect } from 'chai';
import { FakeClock, TaskState } from '@mesocosm/framework-sdk';
import { MemoryStateStore } from '@mesocosm/framework-sdk/ha';
import {
  MarathonStore,
  decodeDeployment,
  decodeInstance,
  encodeDeployment,
  parseApp,
  planDeployment,
  stampVersion,
} from '../../src/index.js';
import { Harness } from '../engine/harness.js';

describe('state: records in the StateStore', () => {
  it('round-trips apps, versions, deployments and instances, one record each', async () => {
    const store = new MemoryStateStore();
    const h = await Harness.lead(store);
    await h.service.createApp({ id: '/prod/web', cmd: 'sleep 1000', instances: 2, labels: { team: 'a' } });
    await h.settle();
    h.clock.advance(1000);
    await h.service.updateApp('/prod/web', { cmd: 'sleep 2000' }, { partial: true, force: true });
    await h.settle();
    expect(await store.list('apps')).to.deep.equal(['/prod/web']);
    expect(await store.list('app-versions')).to.have.length(2);
    expect(await store.list('deployments')).to.have.length(1);
    expect(await store.list('instances')).to.have.length(2);
    const loaded = await new MarathonStore(store).load();
    expect(loaded.corrupt).to.deep.equal([]);
    expect(loaded.apps.map((a) => [a.id, a.cmd, a.labels])).to.deep.equal([['/prod/web', 'sleep 2000', { team: 'a' }]]);
    expect(loaded.apps[0]?.version).to.equal(h.engine.apps.get('/prod/web')?.version);
    expect(loaded.versions.get('/prod/web')).to.have.length(2);
    expect(loaded.instances.map((i) => i.state)).to.deep.equal(['pending', 'pending']);
    const versions = h.service.appVersions('/prod/web');
    expect(versions).to.have.length(2);
    expect(versions[0]! > versions[1]!).to.equal(true);
    expect(h.service.appVersion('/prod/web', versions[1]!)?.cmd).to.equal('sleep 1000');
    h.stop();
  });

  it('encodes a deployment plan and decodes the same plan', () => {
    const v1 = stampVersion(undefined, parseApp({ id: '/a', cmd: 'x', instances: 2 }), 1_000);
    const v2 = stampVersion(v1, parseApp({ id: '/a', cmd: 'y', instances: 3 }), 2_000);
    const gone = stampVersion(undefined, parseApp({ id: '/b', cmd: 'z' }), 1_000);
    const plan = planDeployment([v1, gone], [v2], { id: 'd1', version: v2.version ?? '' });
    const back = decodeDeployment(JSON.parse(JSON.stringify(encodeDeployment({ plan, step: 1, startedAt: 5 }))));
    expect(back?.step).to.equal(1);
    expect(back?.plan.steps.map((s) => s.actions.map((a) => [a.action, a.app.id, a.app.cmd]))).to.deep.equal(
      plan.steps.map((s) => s.actions.map((a) => [a.action, a.app.id, a.app.cmd])),
    );
    expect(decodeDeployment({ id: 'x' })).to.equal(undefined);
    expect(decodeInstance({ taskId: 't' })).to.equal(undefined);
  });

  it('a new leader neither launches twice nor forgets: pending records are reconciled, not relaunched', async () => {
    const store = new MemoryStateStore();
    const clock = new FakeClock(1_700_000_000_000);
    const first = await Harness.lead(store, clock);
    await first.service.createApp({ id: '/web', cmd: 'sleep 1000', instances: 3 });
    await first.settle();
    // Two are launched and run; the third is recorded but the leader dies before its ACCEPT.
    const pending = first.pending('/web');
    expect(pending).to.have.length(3);
    const g = first.engine.book.pendingGroups()[0]!;
    for (const t of g.tasks.slice(0, 2)) {
      const offer = { id: { value: 'o' }, agentId: { value: 'a1' }, hostname: 'h1', resources: [] };
      first.engine.onLaunched([{ key: '/web', taskId: t.taskId, task: {}, offer }]);
    }
    await first.settle();
    await first.runAll();
    first.stop();

    const second = await Harness.lead(store, clock);
    expect(second.engine.book.ofApp('/web')).to.have.length(3);
    expect(second.pending('/web'), 'nothing new to launch').to.deep.equal([]);
    const known = second.engine.book
      .known()
      .map((k) => k.taskId)
      .sort();
    expect(known).to.deep.equal([...pending].sort());
    expect(second.service.deployments(), 'the deployment resumes').to.have.length(1);
    // The master never heard of the third: it is replaced, once.
    await second.update(pending[2]!, TaskState.TASK_UNKNOWN);
    await second.settle();
    expect(second.pending('/web')).to.have.length(1);
    expect(second.pending('/web')[0]).to.not.equal(pending[2]);
    await second.cycle();
    expect(second.running('/web')).to.have.length(3);
    expect(second.service.deployments()).to.deep.equal([]);
    expect(await store.list('deployments')).to.deep.equal([]);
    second.stop();
  });
});
