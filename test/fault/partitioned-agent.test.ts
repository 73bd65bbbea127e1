// A real partition: the agents run in network namespaces of their own
// (separate hosts on one machine), and one host's link is cut. The master
// marks the agent unreachable (TASK_UNREACHABLE for a partition-aware
// framework); when the link is back the agent re-registers and its tasks
// come back RUNNING, never killed: the same processes.
import { expect } from 'chai';
import { NetworkHosts, waitFor } from '@mesocosm/testing';
import { FaultCluster } from './fault-cluster.js';
import { readRecords } from './fixtures/recording-framework.js';
import { latestState, liveTaskProcesses, masterTasks } from './invariants.js';
import { expectNothingLost } from './nothing-lost.js';

const TASKS = 10;

describe('fault: an agent is partitioned from the master (network namespaces)', function () {
  this.timeout(180_000);
  let hosts: NetworkHosts | undefined;
  let cluster: FaultCluster | undefined;

  after(async () => {
    await cluster?.stop();
    await hosts?.cleanup();
  });

  it('goes unreachable and comes back without its tasks being killed (partition-aware framework)', async function () {
    const available = await NetworkHosts.available();
    if (!available.ok) {
      if (process.env['CI'] === 'true') throw new Error(`network hosts are required in CI: ${available.reason}`);
      console.log(`      skipped: ${available.reason}`);
      this.skip();
    }
    hosts = await NetworkHosts.create();
    cluster = await FaultCluster.start({ hosts, agents: 2 });
    const c = cluster;
    const framework = await c.startFramework({ tasks: TASKS, partitionAware: true });
    await c.waitForRunning(TASKS);
    const { state: before } = await c.waitForLeader();
    const host = hosts.host('agent1');
    const victim = before.slaves.find((a) => a.pid.includes(`@${host.ip}:`));
    const onVictim = [...masterTasks(before).values()].filter((t) => t.agent_id === victim?.id).map((t) => t.id);
    expect(onVictim.length, 'tasks on the agent to cut off').to.be.greaterThan(0);
    const processesBefore = liveTaskProcesses(c.marker);

    const cutAt = Date.now();
    await host.cut();
    await waitFor(
      () => {
        const latest = latestState(readRecords(c.frameworkDir).updates);
        return onVictim.every((id) => latest.get(id) === 'TASK_UNREACHABLE');
      },
      { timeoutMs: 30_000, message: 'TASK_UNREACHABLE for every task of the cut-off agent' },
    );
    const unreachableAt = Date.now();
    await host.heal();
    await waitFor(
      () => {
        const latest = latestState(readRecords(c.frameworkDir).updates);
        return onVictim.every((id) => latest.get(id) === 'TASK_RUNNING');
      },
      { timeoutMs: 30_000, message: 'the tasks RUNNING again after the link came back' },
    );
    console.log(
      `      partition: unreachable ${unreachableAt - cutAt} ms after the cut (pings 1 s x 5); RUNNING again ${Date.now() - unreachableAt} ms after the heal`,
    );
    await expectNothingLost(c, { frameworks: [framework.ready.id ?? ''], agents: before.slaves.map((a) => a.id) });
    // Not killed and relaunched: the very same processes.
    expect(liveTaskProcesses(c.marker)).to.deep.equal(processesBefore);
  });
});
