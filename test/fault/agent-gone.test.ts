// Agents and frameworks that never come back after a master failover. The
// new leader waits --agent_reregister_timeout for the agents in its registry
// and the frameworks' failover_timeout (at least as long) for frameworks:
// an agent that stays away is removed (its tasks TASK_GONE for a partition-
// aware framework; when it does return it is refused and kills them), and a
// framework that stays away is torn down and its tasks killed.
import { expect } from 'chai';
import { sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';
import { FaultCluster } from './fault-cluster.js';
import { readRecords } from './fixtures/recording-framework.js';
import { latestState, liveTaskProcesses, masterTasks } from './invariants.js';
import { expectNothingLost } from './nothing-lost.js';

const TASKS = 10;
const REREGISTER_TIMEOUT = ['--agent_reregister_timeout', '3secs'];

interface Recovering {
  recovered_slaves?: { id: string }[];
  completed_frameworks: { id: string }[];
}

describe('fault: an agent or a framework never comes back after a master failover', function () {
  this.timeout(180_000);
  let cluster: FaultCluster | undefined;

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  async function runningCluster(partitionAware: boolean, failoverTimeout?: number): Promise<FaultCluster> {
    const { connectString } = await sharedZooKeeper();
    const c = await FaultCluster.start({
      zkConnect: connectString,
      masters: 2,
      agents: 2,
      masterFlags: REREGISTER_TIMEOUT,
    });
    cluster = c;
    await c.startFramework({ tasks: TASKS, partitionAware, ...(failoverTimeout ? { failoverTimeout } : {}) });
    await c.waitForRunning(TASKS);
    return c;
  }

  it('an agent away past the re-registration timeout is removed: TASK_GONE, and refused when it returns', async function () {
    requireInfra(this, 'zookeeper');
    const c = await runningCluster(true);
    const frameworkId = c.framework?.ready.id ?? '';
    const before = await c.waitForLeader();
    const [gone, stays] = c.agents;
    if (!gone || !stays) throw new Error('two agents expected');
    const goneId = before.state.slaves.find((a) => a.pid.endsWith(`:${new URL(gone.process.ready.http).port}`))?.id;
    const onGone = [...masterTasks(before.state).values()].filter((t) => t.agent_id === goneId).map((t) => t.id);
    expect(onGone.length, 'tasks on the agent that will not return').to.be.greaterThan(0);

    await gone.process.kill('SIGKILL');
    const killedAt = Date.now();
    await before.master.process.kill('SIGKILL');
    await waitFor(
      () => {
        const latest = latestState(readRecords(c.frameworkDir).updates);
        return onGone.every((id) => latest.get(id) === 'TASK_GONE');
      },
      { timeoutMs: 30_000, message: 'TASK_GONE for the tasks of the agent that stayed away' },
    );
    const goneAt = Date.now();
    const { state } = await c.waitForLeader();
    expect(state.slaves.map((a) => a.id)).to.not.include(goneId);
    expect(((state as unknown as Recovering).recovered_slaves ?? []).map((a) => a.id)).to.not.include(goneId);

    // It comes back: refused, it kills the tasks (the framework was told they are gone) and registers anew.
    await c.restartAgent(gone);
    await waitFor(() => onGone.every((id) => !liveTaskProcesses(c.marker).has(id)), {
      timeoutMs: 30_000,
      message: 'the returning agent killed the tasks of its removed self',
    });
    await waitFor(async () => (await c.waitForLeader()).state.slaves.length === 2, {
      timeoutMs: 30_000,
      message: 'the returning agent registered under a new ID',
    });
    await expectNothingLost(c, {
      frameworks: [frameworkId],
      agents: before.state.slaves.filter((a) => a.id !== goneId).map((a) => a.id),
    });
    console.log(`      agent gone: TASK_GONE ${goneAt - killedAt} ms after the failover (re-registration timeout 3 s)`);
  });

  it('a framework away past its failover_timeout across a master failover is torn down and its tasks killed', async function () {
    requireInfra(this, 'zookeeper');
    const c = await runningCluster(false, 2);
    const frameworkId = c.framework?.ready.id ?? '';
    const before = await c.waitForLeader();
    expect(liveTaskProcesses(c.marker).size).to.equal(TASKS);

    await c.framework?.kill('SIGKILL');
    const killedAt = Date.now();
    await before.master.process.kill('SIGKILL');
    await waitFor(
      async () =>
        (await c.waitForLeader()).state.completed_frameworks.some((f) => f.id === frameworkId) &&
        liveTaskProcesses(c.marker).size === 0,
      { timeoutMs: 30_000, message: 'the framework torn down and its tasks killed' },
    );
    console.log(
      `      framework gone: torn down and its tasks killed ${Date.now() - killedAt} ms after the failover (failover_timeout 2 s, re-registration timeout 3 s: the longer applies)`,
    );
    const { state } = await c.waitForLeader();
    expect(state.frameworks.map((f) => f.id)).to.not.include(frameworkId);
    expect(c.sampler.maxConcurrentLeaders()).to.equal(1);
  });
});
