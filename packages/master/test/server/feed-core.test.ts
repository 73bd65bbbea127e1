// The feed's own rules, on a core driven by a FakeClock and served over a
// real WebSocket: marks are recorded only while a client watches the
// leader; a client that does not keep up misses deltas and gets a fresh
// snapshot once drained; a standby sends LEADER, and a SNAPSHOT once elected.
import { expect } from 'chai';
import { FakeClock, silentLogger } from '@mesocosm/protocol';
import { MasterCore } from '../../src/core/master-core.js';
import { resolveOptions } from '../../src/options.js';
import { InMemoryRegistry } from '../../src/registry/in-memory-registry.js';
import { startHttpServer, stopHttpServer, type HttpEdge } from '../../src/server/http.js';
import type { FeedOptions } from '../../src/server/feed.js';
import { FakeAgentConn, FakeFramework, makeCore } from '../helpers/core-harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { FeedClient } from './feed-client.js';

async function serve(core: MasterCore, feed: FeedOptions = {}): Promise<{ edge: HttpEdge; url: string }> {
  const edge = await startHttpServer(core, '127.0.0.1', 0, { feed });
  core.ctx.info.port = edge.port;
  return { edge, url: `http://127.0.0.1:${edge.port}` };
}

describe('live feed rules (FakeClock)', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it('records changes only while a client watches the leader', async () => {
    const { core, clock } = makeCore();
    const { edge, url } = await serve(core);
    stops.push(async () => {
      core.stop();
      await stopHttpServer(edge);
    });
    expect(core.ctx.changes.isTracking).to.equal(false);
    await new FakeAgentConn(core).register();
    expect(core.ctx.changes.pending).to.equal(false);

    const client = await FeedClient.open(url);
    await client.take('SNAPSHOT');
    expect(core.ctx.changes.isTracking).to.equal(true);
    await new FakeAgentConn(core).register('cpus:2;mem:1024');
    expect(core.ctx.changes.pending).to.equal(true);
    clock.advance(250);
    const delta = await client.take('AGENTS');
    expect(delta.upserted.map((a) => a.resources['cpus'])).to.deep.equal([2]);
    expect(core.ctx.changes.pending).to.equal(false);

    client.close();
    await waitFor(() => !core.ctx.changes.isTracking, 'tracking stopped with the last client');
  });

  it('batches deltas at most every 250 ms', async () => {
    const { core, clock } = makeCore();
    const { edge, url } = await serve(core);
    stops.push(async () => {
      core.stop();
      await stopHttpServer(edge);
    });
    const client = await FeedClient.open(url);
    await client.take('SNAPSHOT');
    await new FakeAgentConn(core).register();
    clock.advance(0);
    await client.take('AGENTS');
    // Right after a flush: the next changes wait for the rest of the 250 ms, together.
    await new FakeAgentConn(core).register();
    await new FakeAgentConn(core).register();
    clock.advance(249);
    clock.advance(1);
    const batch = await client.take('AGENTS');
    expect(batch.upserted).to.have.length(2);
    expect(client.types().filter((t) => t === 'AGENTS')).to.have.length(2);
  });

  it('sends the whole offer list at most once a second', async () => {
    const { core, clock } = makeCore();
    const { edge, url } = await serve(core);
    stops.push(async () => {
      core.stop();
      await stopHttpServer(edge);
    });
    const client = await FeedClient.open(url);
    await client.take('SNAPSHOT');
    await new FakeAgentConn(core).register();
    const fw = new FakeFramework(core);
    await fw.subscribe({ name: 'offers' });
    clock.advance(0); // the first batch (agent, framework), then the allocation
    clock.advance(250); // the next batch: the offer
    const first = await client.take('OFFERS');
    expect(first.offers).to.have.length(1);

    clock.advance(300);
    const second = new FakeAgentConn(core);
    await second.register('cpus:2;mem:1024');
    clock.advance(0); // a batch with the agent, then the allocation offers it
    clock.advance(250); // a batch: the agent's offered resources, but not the offer list yet
    await client.take('AGENTS', (m) =>
      m.upserted.some((a) => a.id === second.agentId && a.offered_resources['cpus'] === 2),
    );
    // Other changes are not held back by the offer list's period.
    const marker = new FakeAgentConn(core);
    await marker.register('cpus:1;mem:512');
    clock.advance(250);
    await client.take('AGENTS', (m) => m.upserted.some((a) => a.id === marker.agentId));
    expect(client.types().filter((t) => t === 'OFFERS')).to.have.length(1);
    clock.advance(250); // a second after the first OFFERS, at the next batch
    const later = await client.take('OFFERS');
    expect(later.offers.map((o) => o.agent_id)).to.include(second.agentId);
  });

  it('skips a client that does not keep up, then sends it a fresh SNAPSHOT once it drains', async () => {
    const { core, clock } = makeCore();
    let unsent = 0;
    const { edge, url } = await serve(core, { maxBufferedBytes: 1000, bufferedAmount: () => unsent });
    stops.push(async () => {
      core.stop();
      await stopHttpServer(edge);
    });
    const slow = await FeedClient.open(url);
    const fast = await FeedClient.open(url);
    await slow.take('SNAPSHOT');
    await fast.take('SNAPSHOT');

    unsent = 5000; // both look congested now
    const agent = new FakeAgentConn(core);
    await agent.register('cpus:3;mem:1024');
    clock.advance(250);
    unsent = 900; // drained a little: still above a quarter of the bound
    clock.advance(1000); // a SAMPLE tick: nothing for stale clients
    unsent = 0;
    clock.advance(1000); // drained: a fresh snapshot each, with the agent they missed
    for (const client of [slow, fast]) {
      const snap = await client.take('SNAPSHOT');
      expect(snap.agents.map((a) => a.id)).to.include(agent.agentId);
      // Nothing was sent between the two snapshots.
      expect(client.types()).to.deep.equal(['SNAPSHOT', 'SNAPSHOT']);
    }
    // And deltas flow again.
    await new FakeAgentConn(core).register('cpus:5;mem:1024');
    clock.advance(250);
    await slow.take('AGENTS', (m) => m.upserted.some((a) => a.resources['cpus'] === 5));
  });

  it('on a standby: LEADER, again when the leader changes, and a SNAPSHOT once elected', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const info = { id: 'M2', hostname: 'm2', ip: '127.0.0.1', port: 0, grpcPort: 5062, version: 'v' };
    const resolved = resolveOptions({ logger: silentLogger, clock, hostname: 'm2' });
    const core = new MasterCore(resolved, new InMemoryRegistry(), info, true);
    const { edge, url } = await serve(core);
    stops.push(async () => {
      core.stop();
      await stopHttpServer(edge);
    });
    const client = await FeedClient.open(url);
    const first = await client.take('LEADER');
    expect(first).to.deep.equal({ type: 'LEADER', leader_url: '', masters: [url] });
    expect(core.ctx.changes.isTracking).to.equal(false);

    const m1 = { id: 'M1', hostname: 'm1', ip: '10.0.0.1', port: 5050, grpcPort: 5060, version: 'v', epoch: 3 };
    core.setMasters([m1, info]);
    core.setLeader(m1);
    const named = await client.take('LEADER', (m) => m.leader_url !== '');
    expect(named).to.deep.equal({
      type: 'LEADER',
      leader_url: 'http://10.0.0.1:5050',
      masters: ['http://10.0.0.1:5050', url],
    });

    await core.lead(4);
    const snap = await client.take('SNAPSHOT');
    expect(snap.summary).to.include({ elected: true, leader_url: url });
    expect(snap.summary.masters).to.deep.equal(['http://10.0.0.1:5050', url]);
    expect(core.ctx.changes.isTracking).to.equal(true);

    core.abdicate();
    const deposed = await client.take('LEADER', (m) => m.leader_url === '');
    expect(deposed.masters).to.include(url);
    expect(core.ctx.changes.isTracking).to.equal(false);
  });
});
