// End to end: the example's core and run loop against a real in-process cluster.
import { expect } from 'chai';
import { userInfo } from 'node:os';
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import { Batch } from '../src/batch.js';
import { runBatch } from '../src/run.js';

interface StateTask {
  id: string;
  state: string;
}
interface MasterStateView {
  frameworks: Array<{ id: string; tasks: StateTask[]; completed_tasks: StateTask[] }>;
  completed_frameworks: Array<{ id: string; completed_tasks: StateTask[] }>;
}

describe('batch-shell against a LocalCluster', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  before(async () => {
    cluster = await LocalCluster.start({ agents: 2 });
  });
  after(() => cluster?.stop());

  function driver(name: string): SchedulerDriver {
    return new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name, user: userInfo().username },
      logger: silentLogger,
    });
  }

  it('runs every task to TASK_FINISHED, spread over both agents, then tears down', async () => {
    const batch = new Batch({ tasks: 4, cmd: 'echo hello from $MESOS_TASK_ID', cpus: 0.1, mem: 32, name: 'e2e' });
    const outcome = await runBatch(driver('e2e'), batch, 30_000, () => {});
    expect(outcome.timedOut).to.equal(false);
    expect(outcome.succeeded).to.equal(true);
    expect(outcome.results.map((r) => r.state)).to.deep.equal(Array(4).fill('TASK_FINISHED'));
    expect(new Set(outcome.results.map((r) => r.agentId))).to.deep.equal(new Set(cluster.agents.map((a) => a.agentId)));
    // Torn down: the master keeps the framework only among the completed ones.
    await waitFor(
      async () => {
        const s = await fetchJson<MasterStateView>(`${cluster.masterHttp}/master/state`);
        return (
          !s.frameworks.some((f) => f.id === outcome.frameworkId) &&
          s.completed_frameworks.some((f) => f.id === outcome.frameworkId)
        );
      },
      { timeoutMs: 5000, message: 'the framework among completed_frameworks' },
    );
  });

  it('reports failure when a task fails, and still ends', async () => {
    const batch = new Batch({ tasks: 2, cmd: 'test "$MESOS_TASK_ID" = bad-1', cpus: 0.1, mem: 32, name: 'bad' });
    const outcome = await runBatch(driver('bad'), batch, 30_000, () => {});
    expect(outcome.succeeded).to.equal(false);
    expect(outcome.results.map((r) => r.state)).to.deep.equal(['TASK_FINISHED', 'TASK_FAILED']);
  });

  it('launches more tasks than fit at once, as resources come back', async () => {
    // 6 tasks of 1.5 cpus on two 2-cpu agents: two at a time; the rest wait for REVIVE.
    const batch = new Batch({ tasks: 6, cmd: 'sleep 0.2', cpus: 1.5, mem: 32, name: 'big' });
    const outcome = await runBatch(driver('big'), batch, 45_000, () => {});
    expect(outcome.timedOut).to.equal(false);
    expect(outcome.results.map((r) => r.state)).to.deep.equal(Array(6).fill('TASK_FINISHED'));
  });

  it('gives up after its timeout when nothing fits', async () => {
    const batch = new Batch({ tasks: 1, cmd: 'true', cpus: 64, mem: 32, name: 'huge' });
    const outcome = await runBatch(driver('huge'), batch, 1500, () => {});
    expect(outcome.timedOut).to.equal(true);
    expect(outcome.succeeded).to.equal(false);
    expect(outcome.results[0]!.state).to.equal('PENDING');
  });
});
