import { expect } from 'chai';
import { existsSync } from 'node:fs';
import type { MasterState } from '@mesocosm/master';
import { fetchJson } from '../src/fetch-json.js';
import { LocalCluster } from '../src/local-cluster.js';
import { defaultAgentResources } from '../src/members.js';
import { masterFlags } from '../src/processes.js';
import { waitFor } from '../src/wait-for.js';

/** True while a process with this ID exists. */
function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface AgentState {
  id: string;
  resources: Record<string, number | string>;
  attributes: Record<string, string>;
}

describe('LocalCluster', function () {
  this.timeout(60_000);
  const clusters: LocalCluster[] = [];
  after(async () => {
    await Promise.all(clusters.map((c) => c.stop()));
  });

  it('in-process: a master and registered agents on free loopback ports', async () => {
    const cluster = await LocalCluster.start({
      agents: [{ attributes: 'rack:r1' }, { resources: 'cpus:1;mem:256', attributes: 'rack:r2' }],
    });
    clusters.push(cluster);
    expect(cluster.mode).to.equal('in-process');
    expect(cluster.masterGrpc).to.match(/^127\.0\.0\.1:\d+$/);
    expect(cluster.masterHttp).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster.agents).to.have.length(2);
    await cluster.waitForAgents(2);

    const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
    expect(state.slaves.map((s) => s.id).sort()).to.deep.equal(cluster.agents.map((a) => a.agentId).sort());
    const a1 = await fetchJson<AgentState>(`${cluster.agents[0]!.httpUrl}/state`);
    const a2 = await fetchJson<AgentState>(`${cluster.agents[1]!.httpUrl}/state`);
    expect(a1.id).to.equal(cluster.agents[0]!.agentId);
    expect(a1.attributes).to.deep.equal({ rack: 'r1' });
    expect(a1.resources).to.deep.include({ cpus: 2, mem: 2048, ports: '[31000-31099]' });
    expect(a2.resources).to.deep.include({ cpus: 1, mem: 256 });

    const dir = cluster.workDir;
    expect(existsSync(`${cluster.agents[0]!.workDir}/meta/agent.id`)).to.equal(true);
    await cluster.stop();
    await cluster.stop(); // idempotent
    expect(existsSync(dir)).to.equal(false);
    const err = await fetch(`${cluster.agents[0]!.httpUrl}/state`).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
  });

  it('default agent resources do not share ports', () => {
    expect(defaultAgentResources(0)).to.include('ports:[31000-31099]');
    expect(defaultAgentResources(1)).to.include('ports:[31100-31199]');
  });

  it('processes: members are CLI child processes; an agent and the master can be kill -9ed', async () => {
    const cluster = await LocalCluster.start({
      mode: 'processes',
      agents: 2,
      masterOptions: { agentPingIntervalMs: 200, maxAgentPingTimeouts: 2 },
    });
    clusters.push(cluster);
    const pids = [cluster.masterPid, ...cluster.agents.map((a) => a.pid)];
    expect(pids.every(alive)).to.equal(true);
    expect(new Set(pids).size).to.equal(3);
    await cluster.waitForAgents(2);

    // kill -9 of agent 1: the process is gone and the master, pinging every 200 ms, stops counting it active.
    await cluster.killAgent(0, 'SIGKILL');
    expect(alive(pids[1])).to.equal(false);
    expect(cluster.agents[0]!.running).to.equal(false);
    await waitFor(
      async () => {
        const s = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
        return s.slaves.find((a) => a.id === cluster.agents[0]!.agentId)?.active === false;
      },
      { timeoutMs: 10_000, message: 'the killed agent inactive in the master state' },
    );

    // It comes back on the same work dir with the same ID, in a new process.
    const before = cluster.agents[0]!;
    const again = await cluster.restartAgent(0);
    expect(again.agentId).to.equal(before.agentId);
    expect(again.pid).to.not.equal(before.pid);
    expect(again.running).to.equal(true);
    await cluster.waitForAgents(2);

    await cluster.killMaster('SIGKILL');
    expect(alive(pids[0])).to.equal(false);
    expect(() => cluster.masterHttp).to.throw(/the master is not running/);

    const agentPids = cluster.agents.map((a) => a.pid);
    await cluster.stop();
    expect(agentPids.some(alive)).to.equal(false);
  });

  it('processes: masterOptions that cannot cross a process boundary are refused', async () => {
    const err = await LocalCluster.start({
      mode: 'processes',
      agents: 0,
      masterOptions: { defaultRefuseSeconds: 1 },
    }).catch((e: unknown) => e);
    expect((err as Error).message).to.match(/masterOptions\.defaultRefuseSeconds cannot be given .* 'processes' mode/);
  });
});

describe('masterFlags (processes mode)', () => {
  it('turns master options into CLI flags with Mesos durations', () => {
    expect(
      masterFlags({
        offerTimeoutMs: 1500,
        agentPingIntervalMs: 200,
        maxAgentPingTimeouts: 2,
        roleWeights: { a: 2, b: 1 },
      }),
    ).to.deep.equal([
      '--offer_timeout',
      '1500ms',
      '--agent_ping_timeout',
      '200ms',
      '--max_agent_ping_timeouts',
      '2',
      '--weights',
      'a=2,b=1',
    ]);
    expect(masterFlags({})).to.deep.equal([]);
    expect(
      masterFlags({ zk: 'zk://127.0.0.1:2181/m', zkSessionTimeoutMs: 2000, agentReregisterTimeoutMs: 5000 }),
    ).to.deep.equal([
      '--zk',
      'zk://127.0.0.1:2181/m',
      '--zk_session_timeout',
      '2000ms',
      '--agent_reregister_timeout',
      '5000ms',
    ]);
  });
});
