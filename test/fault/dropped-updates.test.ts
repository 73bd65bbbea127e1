// The first status updates (agent -> master) and acknowledgements
// (master -> agent) are dropped by a message-level proxy on the agent's
// stream: the agent's retries deliver every update, and the framework sees
// each exactly once (the SDK drops the duplicates a lost ack causes).
import { expect } from 'chai';
import { GrpcMessageProxy } from '@mesocosm/testing';
import { FaultCluster } from './fault-cluster.js';
import { readRecords } from './fixtures/recording-framework.js';
import { expectNothingLost } from './nothing-lost.js';

const TASKS = 5;
const DROPPED = 3;

describe('fault: the first status updates and acknowledgements are dropped', function () {
  this.timeout(120_000);
  let cluster: FaultCluster | undefined;
  let proxy: GrpcMessageProxy<'agent'> | undefined;

  after(async () => {
    await cluster?.stop();
    await proxy?.close();
  });

  it('retries deliver every update and the framework sees each once', async function () {
    cluster = await FaultCluster.start({ agents: 0, agentFlags: ['--status_update_retry_interval', '500ms'] });
    const c = cluster;
    const p = await GrpcMessageProxy.start({ service: 'agent', target: c.masterUrl });
    proxy = p;
    const updates = p.dropFirst(DROPPED, { direction: 'toServer', type: 'UPDATE' });
    const acks = p.dropFirst(DROPPED, { direction: 'toClient', type: 'ACKNOWLEDGE' });
    await c.startAgent('agent 1', { master: p.address });
    const framework = await c.startFramework({ tasks: TASKS });
    await c.waitForRunning(TASKS);
    expect(updates.dropped, 'updates dropped').to.equal(DROPPED);
    expect(acks.dropped, 'acknowledgements dropped').to.equal(DROPPED);
    const { state } = await c.waitForLeader();
    await expectNothingLost(c, { frameworks: [framework.ready.id ?? ''], agents: state.slaves.map((a) => a.id) });

    // Every update the agent made reached the framework once: STARTING and RUNNING per task, no repeats.
    const seen = readRecords(c.frameworkDir).updates.filter((u) => u.uuid !== '');
    const uuids = seen.map((u) => u.uuid);
    expect(new Set(uuids).size, 'distinct updates').to.equal(uuids.length);
    for (let i = 0; i < TASKS; i++) {
      const id = `task-${String(i).padStart(3, '0')}`;
      expect(
        seen.filter((u) => u.taskId === id).map((u) => u.state),
        id,
      ).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING']);
    }
    const counts = p.counts();
    console.log(
      `      dropped ${DROPPED} updates and ${DROPPED} acks; the proxy passed ${counts.passed.toServer['UPDATE'] ?? 0} updates for ${uuids.length} distinct ones`,
    );
  });
});
