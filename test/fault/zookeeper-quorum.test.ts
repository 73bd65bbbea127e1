// Stop the ZooKeeper quorum: the leader steps down at once (never two
// leaders), and the cluster recovers when the quorum returns. A master that
// stepped down exits with code 3, as Mesos' master aborts; the test restarts
// it as a supervisor (systemd, Marathon) would.
import { expect } from 'chai';
import { startZooKeeperEnsemble, waitFor, type ZooKeeperEnsemble } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';
import { FaultCluster } from './fault-cluster.js';
import { expectNothingLost } from './nothing-lost.js';

const TASKS = 10;

describe('fault: the ZooKeeper quorum is lost and comes back', function () {
  this.timeout(180_000);
  let ensemble: ZooKeeperEnsemble | undefined;
  let cluster: FaultCluster | undefined;

  after(async () => {
    await cluster?.stop();
    await ensemble?.stop();
  });

  it('the leader steps down, no two leaders ever, and nothing is lost once the quorum returns', async function () {
    requireInfra(this, 'zookeeper');
    ensemble = await startZooKeeperEnsemble(3);
    const zk = ensemble;
    cluster = await FaultCluster.start({ zkConnect: zk.connectString, masters: 2, agents: 2 });
    const c = cluster;
    const framework = await c.startFramework({ tasks: TASKS });
    await c.waitForRunning(TASKS);
    const before = await c.waitForLeader();

    const cutAt = Date.now();
    await zk.stopQuorum();
    const exit = await before.master.process.exited;
    expect(exit.code, 'the leader exits with the deposed code').to.equal(3);
    const steppedDownAt = Date.now();
    // The sampler sees the cluster without a leader while the quorum is away.
    await waitFor(() => c.sampler.firstAt((l) => l.length === 0, cutAt) !== undefined, {
      timeoutMs: 5_000,
      message: 'a sample with no leader after the cut',
    });

    await zk.startAgain();
    const backAt = Date.now();
    // Supervisor: restart every master that exited (each must have exited deliberately).
    for (const m of c.masters) {
      if (m.process.running) continue;
      expect((await m.process.exited).code, `${m.name} exit code`).to.equal(3);
      const again = await c.startMaster(`${m.name} (restarted)`);
      m.process = again.process;
      c.masters.splice(c.masters.indexOf(again), 1);
    }
    const after = await c.waitForLeader(30_000);
    const leaderAgainAt = Date.now();
    expect(after.state.leader_info.epoch).to.be.greaterThan(before.state.leader_info.epoch);
    // The ZooKeeper C client reconnecting to a restarted ensemble takes up to a session plus a
    // connection timeout: the settling window is longer than the other faults'.
    await expectNothingLost(
      c,
      {
        frameworks: [framework.ready.id ?? ''],
        agents: before.state.slaves.map((a) => a.id),
      },
      60_000,
    );
    expect(c.sampler.maxConcurrentLeaders()).to.equal(1);
    console.log(
      `      quorum loss: leader stepped down ${steppedDownAt - cutAt} ms after the cut; a leader again ${leaderAgainAt - backAt} ms after the quorum returned (restarting masters that exited), settled ${Date.now() - backAt} ms after it`,
    );
  });
});
