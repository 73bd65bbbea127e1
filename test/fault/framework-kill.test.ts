// kill -9 the framework and restart it with its framework ID: it gets its
// tasks back, and explicit reconciliation returns every task's latest state.
import { expect } from 'chai';
import { sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';
import { FaultCluster } from './fault-cluster.js';
import { readRecords } from './fixtures/recording-framework.js';
import { expectNothingLost } from './nothing-lost.js';

const TASKS = 20;

describe('fault: kill -9 the framework and restart it with its ID', function () {
  this.timeout(180_000);
  let cluster: FaultCluster | undefined;

  after(async () => {
    await cluster?.stop();
  });

  it('reconciliation returns every task, RUNNING, to the restarted framework', async function () {
    requireInfra(this, 'zookeeper');
    const { connectString } = await sharedZooKeeper();
    cluster = await FaultCluster.start({ zkConnect: connectString, masters: 2, agents: 2 });
    const c = cluster;
    const first = await c.startFramework({ tasks: TASKS });
    const frameworkId = first.ready.id ?? '';
    await c.waitForRunning(TASKS);
    const { state: before } = await c.waitForLeader();

    await first.kill('SIGKILL');
    await waitFor(
      async () => (await c.waitForLeader()).state.frameworks.find((f) => f.id === frameworkId)?.connected === false,
      { message: 'the master saw the framework go' },
    );
    const second = await c.startFramework({ tasks: TASKS });
    expect(second.ready.id, 'the same framework ID').to.equal(frameworkId);
    const pid = second.pid;
    await waitFor(
      () => {
        const answers = readRecords(c.frameworkDir).updates.filter((u) => u.pid === pid && u.uuid === '');
        return new Set(answers.map((u) => u.taskId)).size === TASKS;
      },
      { timeoutMs: 30_000, message: 'a reconciliation answer for every task' },
    );
    const answers = readRecords(c.frameworkDir).updates.filter((u) => u.pid === pid && u.uuid === '');
    for (const a of answers) {
      expect(a.state, a.taskId).to.equal('TASK_RUNNING');
      expect(a.reason, a.taskId).to.equal('REASON_RECONCILIATION');
    }
    await expectNothingLost(c, { frameworks: [frameworkId], agents: before.slaves.map((a) => a.id) });
    expect(readRecords(c.frameworkDir).launched).to.have.length(TASKS);
  });
});
