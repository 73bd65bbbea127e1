// A leader partitioned from ZooKeeper but not from its agents (SIGSTOP past
// its session timeout) must not keep acting: a new leader takes over, and
// when the old one wakes (SIGCONT) it steps down and nothing it sends is
// accepted (agents and frameworks drop messages of an older epoch).
import { expect } from 'chai';
import { sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';
import { FaultCluster } from './fault-cluster.js';
import { readRecords } from './fixtures/recording-framework.js';
import { expectNothingLost } from './nothing-lost.js';

const TASKS = 10;

describe('fault: the leader is stopped past its ZooKeeper session timeout', function () {
  this.timeout(180_000);
  let cluster: FaultCluster | undefined;
  let stoppedPid: number | undefined;

  after(async () => {
    if (stoppedPid) {
      try {
        process.kill(stoppedPid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    await cluster?.stop();
  });

  it('a new leader takes over; the woken old leader steps down and is not obeyed', async function () {
    requireInfra(this, 'zookeeper');
    const { connectString } = await sharedZooKeeper();
    cluster = await FaultCluster.start({ zkConnect: connectString, masters: 2, agents: 2 });
    const c = cluster;
    const framework = await c.startFramework({ tasks: TASKS });
    const frameworkId = framework.ready.id ?? '';
    await c.waitForRunning(TASKS);
    const old = await c.waitForLeader();
    stoppedPid = old.master.process.pid;
    if (!stoppedPid) throw new Error('no pid');

    const stoppedAt = Date.now();
    process.kill(stoppedPid, 'SIGSTOP');
    const next = await c.waitForLeader(30_000);
    expect(next.master).to.not.equal(old.master);
    const takeoverAt = Date.now();
    // The new leader has the agents and the framework back before the old one wakes.
    await waitFor(
      async () => {
        const { state } = await c.waitForLeader();
        const fw = state.frameworks.find((f) => f.id === frameworkId);
        return state.slaves.filter((a) => a.active).length === 2 && fw?.connected === true;
      },
      { timeoutMs: 30_000, message: 'agents and framework with the new leader' },
    );

    process.kill(stoppedPid, 'SIGCONT');
    stoppedPid = undefined;
    const exit = await old.master.process.exited;
    expect(exit.code, 'the woken leader exits as deposed').to.equal(3);

    await expectNothingLost(c, { frameworks: [frameworkId], agents: old.state.slaves.map((a) => a.id) });
    // Nothing the old leader (older epoch) sent after the takeover reached the framework.
    const late = readRecords(c.frameworkDir).updates.filter(
      (u) => u.at >= takeoverAt && u.epoch <= old.state.leader_info.epoch,
    );
    expect(late, 'updates of the old epoch accepted after the takeover').to.deep.equal([]);
    expect(readRecords(c.frameworkDir).launched).to.have.length(TASKS);
    console.log(`      stopped leader: new leader after ${takeoverAt - stoppedAt} ms (ZooKeeper session 1 s)`);
  });
});
