// kill -9 an agent and restart it on its work dir: the same tasks with the
// same pids, none relaunched, and no update lost or repeated.
import { expect } from 'chai';
import { fetchJson, sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';
import { FaultCluster } from './fault-cluster.js';
import { readRecords } from './fixtures/recording-framework.js';
import { liveTaskProcesses } from './invariants.js';
import { expectNothingLost } from './nothing-lost.js';

const TASKS = 20;

interface AgentState {
  id: string;
  connected: boolean;
  tasks: { id: string; state: string; pid: number | null }[];
}

describe('fault: kill -9 an agent and restart it', function () {
  this.timeout(180_000);
  let cluster: FaultCluster | undefined;

  after(async () => {
    await cluster?.stop();
  });

  it('re-attaches to the same task processes and relaunches nothing', async function () {
    requireInfra(this, 'zookeeper');
    const { connectString } = await sharedZooKeeper();
    cluster = await FaultCluster.start({ zkConnect: connectString, masters: 2, agents: 2 });
    const c = cluster;
    const framework = await c.startFramework({ tasks: TASKS });
    await c.waitForRunning(TASKS);
    const victim = c.agents[0];
    if (!victim) throw new Error('no agent');
    const agentState = (): Promise<AgentState> => fetchJson<AgentState>(`${victim.process.ready.http}/state`);
    const before = await agentState();
    const pidsBefore = new Map(before.tasks.map((t) => [t.id, t.pid]));
    expect(before.tasks.length, 'tasks on the agent to kill').to.be.greaterThan(0);
    const processesBefore = liveTaskProcesses(c.marker);
    const { state: leaderBefore } = await c.waitForLeader();

    await victim.process.kill('SIGKILL');
    // The tasks outlive their agent.
    for (const t of before.tasks) expect(processesBefore.get(t.id), t.id).to.have.length(1);
    const restartedAt = Date.now();
    await c.restartAgent(victim);
    const after = await agentState();
    expect(after.id).to.equal(before.id);
    await waitFor(
      async () => {
        const s = await agentState();
        return s.connected && s.tasks.length === before.tasks.length;
      },
      { timeoutMs: 30_000, message: 'the restarted agent re-registered with its tasks' },
    );
    const reattached = await agentState();
    for (const t of reattached.tasks) {
      expect(t.pid, `${t.id} keeps its pid`).to.equal(pidsBefore.get(t.id));
      expect(t.state).to.equal('TASK_RUNNING');
    }
    console.log(
      `      agent restart: re-registered with ${reattached.tasks.length} tasks after ${Date.now() - restartedAt} ms`,
    );

    await expectNothingLost(c, {
      frameworks: [framework.ready.id ?? ''],
      agents: leaderBefore.slaves.map((a) => a.id),
    });
    const { launched, updates } = readRecords(c.frameworkDir);
    expect(launched).to.have.length(TASKS); // nothing relaunched
    // No task was started again: each task has one RUNNING update (after UUID dedupe).
    const running = new Map<string, Set<string>>();
    for (const u of updates.filter((x) => x.state === 'TASK_RUNNING' && x.uuid !== '')) {
      running.set(u.taskId, (running.get(u.taskId) ?? new Set()).add(u.uuid));
    }
    for (const [taskId, uuids] of running) expect(uuids.size, `${taskId} RUNNING updates`).to.equal(1);
    expect(liveTaskProcesses(c.marker)).to.deep.equal(processesBefore);
  });
});
