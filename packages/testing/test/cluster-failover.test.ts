// LocalCluster for framework authors: master failover through ZooKeeper,
// a standalone master restarted where it was, and agent loss in processes mode.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { taskStateName } from '@mesocosm/framework-sdk';
import type { MasterState } from '@mesocosm/master';
import { LocalCluster, fetchJson, sharedZooKeeper, waitFor } from '../src/index.js';
import { startFramework, type TestFramework } from './cluster-framework.js';

/** The repository's rule: skip when ZooKeeper is missing, fail when CI=true. */
function requireZooKeeper(ctx: Mocha.Context): void {
  if (process.env['MESOCOSM_ZK'] || existsSync('/usr/share/zookeeper/bin/zkServer.sh')) return;
  if (process.env['CI'] === 'true') throw new Error('zookeeper is required in CI: apt-get install zookeeper');
  ctx.skip();
}

describe('LocalCluster: failover and loss', function () {
  this.timeout(120_000);
  let cluster: LocalCluster | undefined;
  let fw: TestFramework | undefined;
  afterEach(async () => {
    await fw?.stop();
    await cluster?.stop();
    fw = cluster = undefined;
  });

  it('failover(): two masters in ZooKeeper; the standby takes over and the framework and agent follow', async function () {
    requireZooKeeper(this);
    const { connectString } = await sharedZooKeeper();
    cluster = await LocalCluster.start({ zk: connectString, masters: 2, agents: 1 });
    expect(cluster.masterUrl).to.match(/^zk:\/\/127\.0\.0\.1:\d+\/mesocosm-local-[0-9a-f]{8}$/);
    expect(cluster.masters.filter((m) => m.leading)).to.have.length(1);
    const first = cluster.masters.find((m) => m.leading)!;

    fw = await startFramework(cluster.masterUrl, [{ taskId: 'ha-1', command: { value: 'sleep 600' } }]);
    await cluster.waitForTask('ha-1', 'TASK_RUNNING');

    const next = await cluster.failover();
    expect(next.index).to.not.equal(first.index);
    expect(next.leading).to.equal(true);
    expect(cluster.masters[first.index]).to.include({ running: false, leading: false });
    expect(cluster.masterHttp).to.equal(next.http);

    // The agent re-registers with its task; the framework re-subscribes to the new leader.
    await cluster.waitForAgents(1, 30_000);
    const task = await cluster.waitForTask('ha-1', 'TASK_RUNNING', { timeoutMs: 30_000 });
    expect(task.slave_id).to.equal(cluster.agents[0]!.agentId);
    await waitFor(
      async () => {
        const s = await fetchJson<MasterState>(`${cluster!.masterHttp}/master/state`);
        return s.frameworks.find((f) => f.id === fw!.frameworkId)?.connected === true;
      },
      { timeoutMs: 30_000, message: 'the framework subscribed to the new leader' },
    );
    expect(fw.statuses.map((s) => taskStateName(s.state))).to.not.include('TASK_LOST');

    // The old master comes back as a standby.
    const back = await cluster.restartMaster(first.index);
    expect(back).to.include({ running: true, leading: false });
    const standby = await waitFor(async () => {
      const s = await fetchJson<MasterState>(`${back.http}/master/state`);
      return s.leader_info.grpc_port !== 0 && s;
    });
    expect(standby.elected).to.equal(false);
    expect(standby.leader_info.grpc_port).to.equal(Number(next.grpc.split(':')[1]));
  });

  it('failover() in processes mode: kill -9 of the leader; the standby leads once its ZooKeeper session expires', async function () {
    requireZooKeeper(this);
    const { connectString } = await sharedZooKeeper();
    cluster = await LocalCluster.start({ mode: 'processes', zk: connectString, masters: 2, agents: 1 });
    const first = cluster.masters.find((m) => m.leading)!;
    expect(first.pid).to.be.a('number');
    const next = await cluster.failover('SIGKILL');
    expect(next.index).to.not.equal(first.index);
    expect(() => process.kill(first.pid!, 0)).to.throw();
    await cluster.waitForAgents(1, 30_000); // the agent process followed the election
  });

  it('restartMaster(): a standalone master comes back on its ports and its agents re-register', async () => {
    cluster = await LocalCluster.start({ agents: 1 });
    const grpc = cluster.masterGrpc;
    await cluster.killMaster();
    expect(() => cluster!.masterHttp).to.throw(/the master is not running/);
    const again = await cluster.restartMaster(0);
    expect(again.grpc).to.equal(grpc);
    expect(again.leading).to.equal(true);
    await cluster.waitForAgents(1, 30_000);
  });

  it('loseAgent() in processes mode: kill -9, then the master marks the agent unreachable and the task LOST', async () => {
    cluster = await LocalCluster.start({
      mode: 'processes',
      agents: 1,
      masterOptions: { agentPingIntervalMs: 200, maxAgentPingTimeouts: 2 },
    });
    // The task outlives the agent's kill -9, and the test, but not by much.
    fw = await startFramework(cluster.masterUrl, [{ taskId: 'gone-1', command: { value: 'sleep 20' } }]);
    await cluster.waitForTask('gone-1', 'TASK_RUNNING');
    const pid = cluster.agents[0]!.pid;
    await cluster.loseAgent(0);
    expect(() => process.kill(pid!, 0)).to.throw();
    const task = await cluster.waitForTask('gone-1', 'TASK_LOST');
    expect(task.statuses.at(-1)?.reason).to.equal('REASON_AGENT_REMOVED');
  });
});
