// The live feed (WebSocket /api/v1/feed) of a real master: a snapshot on
// connect, then deltas for what changes (frameworks, offers, tasks, agents,
// summary) and allocation samples, without any polling.
import { expect } from 'chai';
import { AgentEventType, silentLogger, TaskState } from '@mesocosm/protocol';
import { Master } from '../../src/index.js';
import { FakeAgent } from '../helpers/fake-agent.js';
import { RawScheduler } from '../helpers/raw-scheduler.js';
import { acceptCall, idOf, task } from '../helpers/tasks.js';
import { waitFor } from '../helpers/wait-for.js';
import { FeedClient } from './feed-client.js';

describe('live feed of the master (WebSocket /api/v1/feed)', function () {
  this.timeout(20_000);
  let master: Master;
  let agent: FakeAgent;
  let sched: RawScheduler | undefined;
  const clients: FeedClient[] = [];
  const open = async (): Promise<FeedClient> => {
    const c = await FeedClient.open(master.httpUrl);
    clients.push(c);
    return c;
  };

  before(async () => {
    master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger, hostname: 'm1' });
    agent = new FakeAgent(master.grpcAddress);
    await agent.register('cpus:4;mem:4096;disk:1000', { hostname: 'feed-host' });
  });

  after(async () => {
    for (const c of clients) c.close();
    agent.close();
    sched?.close();
    await master.stop();
  });

  it('sends a SNAPSHOT first: summary, agents, frameworks, offers and samples', async () => {
    const client = await open();
    const snap = await client.take('SNAPSHOT');
    expect(client.types()[0]).to.equal('SNAPSHOT');
    expect(snap.summary).to.include({ elected: true, leader_url: master.httpUrl });
    expect(snap.summary.cluster.cpus.total).to.equal(4);
    expect(snap.agents.map((a) => [a.id, a.hostname, a.task_count])).to.deep.equal([[agent.agentId, 'feed-host', 0]]);
    expect(snap.frameworks).to.deep.equal([]);
    expect(snap.offers).to.deep.equal([]);
    expect(snap.samples).to.be.an('array');
  });

  it('sends FRAMEWORKS, OFFERS, TASKS, AGENTS and SUMMARY deltas as a framework launches a task', async () => {
    const client = await open();
    await client.take('SNAPSHOT');
    sched = new RawScheduler(master.grpcAddress);
    await sched.subscribe({ name: 'feed-fw', user: 'ops' });
    const fwId = sched.frameworkId;
    const fws = await client.take('FRAMEWORKS', (m) => m.upserted.some((f) => f.id === fwId));
    expect(fws.upserted.find((f) => f.id === fwId)).to.include({ name: 'feed-fw', connected: true });
    const offer = await sched.offer();
    const offers = await client.take('OFFERS', (m) => m.offers.some((o) => o.id === idOf(offer)));
    expect(offers.offers[0]).to.include({ framework_name: 'feed-fw', agent_hostname: 'feed-host' });

    sched.send(acceptCall([idOf(offer)], [task('t1', agent.agentId, 'cpus:1;mem:256')], 3600));
    const staged = await client.take('TASKS', (m) => m.upserted.some((t) => t.id === 't1'));
    expect(staged.upserted[0]).to.include({
      framework_id: fwId,
      framework_name: 'feed-fw',
      sandbox: `${fwId}/tasks/t1`,
    });
    await agent.take(AgentEventType.RUN_TASK);
    agent.sendUpdate(fwId, 't1', TaskState.TASK_RUNNING);
    await client.take('TASKS', (m) => m.upserted.some((t) => t.id === 't1' && t.state === 'TASK_RUNNING'));
    await client.take('AGENTS', (m) =>
      m.upserted.some((a) => a.id === agent.agentId && a.used_resources['cpus'] === 1),
    );
    await client.take('SUMMARY', (m) => m.summary.tasks['TASK_RUNNING'] === 1 && m.summary.cluster.cpus.used === 1);
    // The offer was used: the offer list went empty.
    await client.take('OFFERS', (m) => m.offers.length === 0);
  });

  it('sends SAMPLE every second, and later snapshots carry the samples kept', async () => {
    const client = await open();
    await client.take('SNAPSHOT');
    const sample = (await client.take('SAMPLE', () => true, 3000)).sample;
    expect(sample.cpus).to.equal(0.25); // 1 of 4 cpus used by t1
    expect(sample.time).to.be.closeTo(Date.now() / 1000, 5);
    const later = await open();
    const snap = await later.take('SNAPSHOT');
    expect(snap.samples.length).to.be.at.least(1);
    expect(snap.samples.at(-1)?.cpus).to.equal(0.25);
  });

  it('sends AGENTS when an agent is drained, and FRAMEWORKS removed and TASKS killed on teardown', async () => {
    const client = await open();
    await client.take('SNAPSHOT');
    const drain = await fetch(`${master.httpUrl}/api/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'DRAIN_AGENT',
        drain_agent: { agent_id: { value: agent.agentId }, leave_tasks_running: true },
      }),
    });
    expect(drain.status).to.equal(200);
    const drained = await client.take('AGENTS', (m) => m.upserted.some((a) => a.drain_info?.state === 'DRAINING'));
    expect(drained.upserted[0]).to.include({ id: agent.agentId, deactivated: true });

    const fwId = sched?.frameworkId ?? '';
    const teardown = await fetch(`${master.httpUrl}/master/teardown`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `framework_id=${encodeURIComponent(fwId)}`,
    });
    expect(teardown.status).to.equal(200);
    await client.take('FRAMEWORKS', (m) => m.removed.includes(fwId));
    await client.take('TASKS', (m) => m.upserted.some((t) => t.id === 't1' && t.state === 'TASK_KILLED'));
    await client.take('SUMMARY', (m) => m.summary.frameworks.completed === 1 && m.summary.tasks['TASK_KILLED'] === 1);
  });

  it('refuses other WebSocket paths, and closes its clients (1001) when the master stops', async () => {
    const refused = await FeedClient.open(`${master.httpUrl}/nope`).then(
      () => 'opened',
      (err: Error) => err.message,
    );
    expect(refused).to.match(/404/);

    const other = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
    const client = await FeedClient.open(other.httpUrl);
    await client.take('SNAPSHOT');
    await other.stop();
    await waitFor(() => client.closeCode, 'the feed closed');
    expect(client.closeCode).to.equal(1001);
  });
});
