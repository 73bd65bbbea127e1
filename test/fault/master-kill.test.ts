// kill -9 the leading master while 50 tasks run: a standby leads, every agent
// re-registers, the framework re-subscribes, all 50 tasks are still known and
// RUNNING, and no status update is lost or reordered.
import { expect } from 'chai';
import { sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';
import { FaultCluster } from './fault-cluster.js';
import { masterTasks } from './invariants.js';
import { expectNothingLost } from './nothing-lost.js';
import { OfferProbe } from './offer-probe.js';

const TASKS = 50;

describe('fault: kill -9 the leading master', function () {
  this.timeout(180_000);
  let cluster: FaultCluster | undefined;
  let probe: OfferProbe | undefined;

  after(async () => {
    await probe?.stop();
    await cluster?.stop();
  });

  it(`a standby leads and all ${TASKS} running tasks, agents and frameworks survive`, async function () {
    requireInfra(this, 'zookeeper');
    const { connectString } = await sharedZooKeeper();
    cluster = await FaultCluster.start({ zkConnect: connectString, masters: 3, agents: 2 });
    const c = cluster;
    const framework = await c.startFramework({ tasks: TASKS });
    const frameworkId = framework.ready.id ?? '';
    await c.waitForRunning(TASKS);
    probe = new OfferProbe(c.masterUrl);
    const probeId = await probe.start();
    const before = await c.waitForLeader();
    const p = probe;
    await waitFor(() => p.firstFrom(before.state.id) !== undefined, { message: 'an offer from the first leader' });
    const agents = before.state.slaves.map((a) => a.id);
    expect(agents).to.have.length(2);

    const killedAt = Date.now();
    await before.master.process.kill('SIGKILL');
    const after = await c.waitForLeader();
    expect(after.master).to.not.equal(before.master);
    expect(after.state.leader_info.epoch).to.be.greaterThan(before.state.leader_info.epoch);
    const electedAt = c.sampler.firstAt((l) => l.some((x) => x.id === after.state.id), killedAt) ?? Date.now();
    await waitFor(() => p.firstFrom(after.state.id, killedAt) !== undefined, {
      timeoutMs: 30_000,
      message: 'an offer from the new leader',
    });
    const firstOffer = p.firstFrom(after.state.id, killedAt)?.at ?? 0;

    await expectNothingLost(c, { frameworks: [frameworkId, probeId], agents });
    const { state } = await c.waitForLeader();
    const running = [...masterTasks(state).values()].filter((t) => t.state === 'TASK_RUNNING');
    expect(
      running,
      JSON.stringify(state.frameworks.map((f) => [f.id, f.tasks.length, f.completed_tasks.slice(0, 2)])),
    ).to.have.length(TASKS);
    expect(state.frameworks.find((f) => f.id === frameworkId)?.connected).to.equal(true);
    console.log(
      `      failover (kill -9, ${TASKS} tasks, ZooKeeper session 1 s): new leader seen after ${electedAt - killedAt} ms, first offer after ${firstOffer - killedAt} ms`,
    );
  });
});
