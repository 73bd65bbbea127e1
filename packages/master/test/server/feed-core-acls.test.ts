// The feed's per-connection filtering on a core driven by a FakeClock and
// served over a real WebSocket with --authenticate_http and view ACLs: a
// restricted client gets no OFFERS when only hidden offers changed, no
// FRAMEWORKS about a hidden framework, and a filtered SNAPSHOT when it is
// refreshed after falling behind; the all-seeing client gets everything.
import { expect } from 'chai';
import WebSocket from 'ws';
import { CallType, EventType } from '@mesocosm/protocol';
import type { MasterCore } from '../../src/core/master-core.js';
import { startHttpServer, stopHttpServer, type HttpEdge } from '../../src/server/http.js';
import type { FeedOptions } from '../../src/server/feed.js';
import type { FeedMessage } from '../../src/views/feed-types.js';
import { FakeAgentConn, FakeFramework, makeCore } from '../helpers/core-harness.js';
import { Inbox } from '../helpers/wait-for.js';

type Of<T extends FeedMessage['type']> = Extract<FeedMessage, { type: T }>;

const SECRETS = { ops: 'ops-s', alice: 'alice-s' } as const;
type Principal = keyof typeof SECRETS;
const ANY = { type: 'ANY' };
const VIEW = [
  { principals: { values: ['ops'] }, framework_principals: ANY },
  { principals: { values: ['alice'] }, framework_principals: { values: ['alice'] } },
];
const OPTIONS = {
  authenticateHttp: true,
  credentials: {
    credentials: (Object.keys(SECRETS) as Principal[]).map((p) => ({ principal: p, secret: SECRETS[p] })),
  },
  acls: {
    permissive: false,
    register_frameworks: [{ principals: ANY, roles: ANY }],
    run_tasks: [{ principals: ANY, users: ANY }],
    view_frameworks: VIEW,
    view_tasks: VIEW,
    view_sandboxes: VIEW,
  },
};

/** A feed connection authenticated as `principal`. */
class Watcher {
  readonly messages = new Inbox<FeedMessage>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.messages.push(JSON.parse(data.toString('utf8')) as FeedMessage));
  }

  static open(url: string, principal: Principal): Promise<Watcher> {
    const authorization = `Basic ${Buffer.from(`${principal}:${SECRETS[principal]}`).toString('base64')}`;
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/feed`, { headers: { authorization } });
    const w = new Watcher(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(w));
      ws.once('error', reject);
    });
  }

  take<T extends FeedMessage['type']>(type: T, pred: (m: Of<T>) => boolean = () => true): Promise<Of<T>> {
    return this.messages.take((m) => m.type === type && pred(m as Of<T>), `a ${type}`) as Promise<Of<T>>;
  }

  types(): string[] {
    return this.messages.all.map((m) => m.type);
  }

  all<T extends FeedMessage['type']>(type: T): Of<T>[] {
    return this.messages.all.filter((m): m is Of<T> => m.type === type);
  }
}

async function serve(core: MasterCore, feed: FeedOptions = {}): Promise<{ edge: HttpEdge; url: string }> {
  const edge = await startHttpServer(core, '127.0.0.1', 0, { feed });
  core.ctx.info.port = edge.port;
  return { edge, url: `http://127.0.0.1:${edge.port}` };
}

describe('live feed filtered per connection (FakeClock, view ACLs)', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it('does not send a restricted client an OFFERS or FRAMEWORKS delta about hidden frameworks only', async () => {
    const { core, clock } = makeCore(OPTIONS);
    const { edge, url } = await serve(core);
    stops.push(async () => {
      core.stop();
      await stopHttpServer(edge);
    });
    const ops = await Watcher.open(url, 'ops');
    const alice = await Watcher.open(url, 'alice');
    await ops.take('SNAPSHOT');
    await alice.take('SNAPSHOT');

    const a = new FakeFramework(core);
    await a.subscribe({ name: 'fw-a', user: 'www', principal: 'alice' });
    const b = new FakeFramework(core);
    await b.subscribe({ name: 'fw-b', user: 'www', principal: 'bob' });
    await new FakeAgentConn(core).register('cpus:2;mem:1024');
    await new FakeAgentConn(core).register('cpus:2;mem:1024');
    clock.advance(0); // a batch (agents, frameworks), then the allocation
    clock.advance(250); // the offers
    const bOffer = b.of(EventType.OFFERS)[0]?.offers?.offers?.[0]?.id?.value;
    expect(bOffer, "b's offer").to.be.a('string');
    expect(a.of(EventType.OFFERS), "a's offer").to.have.length(1);
    const both = await ops.take('OFFERS', (m) => m.offers.length === 2);
    expect(both.offers.map((o) => o.framework_name).sort()).to.deep.equal(['fw-a', 'fw-b']);
    const mine = await alice.take('OFFERS');
    expect(mine.offers.map((o) => o.framework_name)).to.deep.equal(['fw-a']);
    expect(alice.all('FRAMEWORKS').flatMap((m) => m.upserted.map((f) => f.name))).to.not.include('fw-b');

    // A takes no more offers; B declines its offer: the list changes for ops only.
    await a.call({ type: CallType.SUPPRESS, suppress: {} });
    await b.call({
      type: CallType.DECLINE,
      decline: { offerIds: [{ value: bOffer }], filters: { refuseSeconds: 3600 } },
    });
    clock.advance(1000);
    await ops.take('OFFERS', (m) => m.offers.length === 1);
    await ops.take('FRAMEWORKS', (m) => m.upserted.some((f) => f.id === b.frameworkId));
    // A SAMPLE of the same tick or later: whatever alice was sent before it has arrived.
    clock.advance(1000);
    await alice.take('SAMPLE');
    await ops.take('SAMPLE');
    expect(alice.all('OFFERS'), 'one OFFERS: the decline changed only a hidden offer').to.have.length(1);
    const named = alice.all('FRAMEWORKS').flatMap((m) => [...m.upserted.map((f) => f.id), ...m.removed]);
    expect(named).to.not.include(b.frameworkId);
    // The agent rows (aggregates) did reach her.
    expect(alice.types()).to.include('AGENTS');
  });

  it('refreshes a restricted client that fell behind with a filtered SNAPSHOT', async () => {
    const { core, clock } = makeCore(OPTIONS);
    let unsent = 0;
    const { edge, url } = await serve(core, { maxBufferedBytes: 1000, bufferedAmount: () => unsent });
    stops.push(async () => {
      core.stop();
      await stopHttpServer(edge);
    });
    const alice = await Watcher.open(url, 'alice');
    await alice.take('SNAPSHOT');
    unsent = 5000;
    const a = new FakeFramework(core);
    await a.subscribe({ name: 'fw-a', user: 'www', principal: 'alice' });
    const b = new FakeFramework(core);
    await b.subscribe({ name: 'fw-b', user: 'www', principal: 'bob' });
    clock.advance(250);
    unsent = 0;
    clock.advance(1000); // drained: a fresh snapshot
    const snap = await alice.take('SNAPSHOT');
    expect(snap.frameworks.map((f) => f.name)).to.deep.equal(['fw-a']);
    expect(alice.types()).to.deep.equal(['SNAPSHOT', 'SNAPSHOT']);
  });
});
