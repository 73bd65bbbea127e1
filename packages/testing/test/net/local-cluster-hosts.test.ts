import { expect } from 'chai';
import type { MasterState } from '@mesocosm/master';
import { LocalCluster, NetworkHosts, fetchJson, waitFor } from '../../src/index.js';
import { requireNetworkHosts } from './net-helpers.js';

describe('LocalCluster in network hosts', function () {
  this.timeout(120_000);
  let hosts: NetworkHosts | undefined;
  let cluster: LocalCluster | undefined;
  before(async function () {
    await requireNetworkHosts(this);
  });
  after(async () => {
    await cluster?.stop();
    await hosts?.cleanup();
  });

  it('runs agents in their own hosts against a master on the gateway; a cut agent goes inactive and returns', async () => {
    hosts = await NetworkHosts.create();
    const a = await hosts.add('a');
    const b = await hosts.add('b');
    cluster = await LocalCluster.start({
      mode: 'processes',
      agents: [{ isolation: 'posix' }, { isolation: 'posix' }],
      masterOptions: { agentPingIntervalMs: 300, maxAgentPingTimeouts: 2 },
      masterHost: hosts.gateway,
      agentHosts: [a, b],
    });
    expect(cluster.masterGrpc).to.equal(`${hosts.gateway.ip}:${cluster.masterGrpc.split(':')[1]}`);
    expect(cluster.agents.map((x) => new URL(x.httpUrl).hostname)).to.deep.equal([a.ip, b.ip]);
    await cluster.waitForAgents(2);
    const activeOf = async (id: string): Promise<boolean | undefined> =>
      (await fetchJson<MasterState>(`${cluster!.masterHttp}/master/state`)).slaves.find((s) => s.id === id)?.active;
    const [idA, idB] = cluster.agents.map((x) => x.agentId);

    await a.cut();
    await waitFor(async () => (await activeOf(idA!)) === false, {
      timeoutMs: 20_000,
      message: 'the cut agent inactive in the master state',
    });
    expect(await activeOf(idB!)).to.equal(true);
    expect(cluster.agents[0]!.running).to.equal(true); // partitioned, not dead

    await a.heal();
    await waitFor(async () => (await activeOf(idA!)) === true, {
      timeoutMs: 60_000,
      message: 'the healed agent active again under the same ID',
    });
  });

  it('runs the master in a host of its own, binding and advertising its IP', async () => {
    const own = await NetworkHosts.create();
    try {
      const m = await own.add('master');
      const a = await own.add('a');
      const c = await LocalCluster.start({
        mode: 'processes',
        agents: [{ isolation: 'posix' }],
        masterHost: m,
        agentHosts: [a],
      });
      try {
        expect(c.masterGrpc).to.match(new RegExp(`^${m.ip.replaceAll('.', '\\.')}:\\d+$`));
        expect(new URL(c.masterHttp).hostname).to.equal(m.ip);
        await c.waitForAgents(1);
        expect(new URL(c.agents[0]!.httpUrl).hostname).to.equal(a.ip);
      } finally {
        await c.stop();
      }
    } finally {
      await own.cleanup();
    }
  });
});

describe('LocalCluster hosts options', () => {
  it('are refused in in-process mode', async () => {
    const err = await LocalCluster.start({ agentHosts: [{ ip: '10.0.0.1', wrap: [] }] }).catch((e: unknown) => e);
    expect(String(err)).to.match(/agentHosts need mode 'processes'/);
  });
});
