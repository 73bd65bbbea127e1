import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  type AgentCall,
  type AgentEvent,
  type IAgentCall,
  type IAgentEvent,
} from '@mesocosm/protocol';
import { GrpcMessageProxy, ProxyError, waitFor } from '../../src/index.js';

/**
 * A stand-in master: answers each AgentCall with a PING whose epoch counts
 * the calls, echoes the `x-probe` metadata in its headers, ends with a
 * trailer on a clean end, and fails the call on a HEARTBEAT from agent `fail`.
 */
async function fakeMaster(): Promise<{ server: grpc.Server; address: string; seen: AgentCall[] }> {
  const seen: AgentCall[] = [];
  const server = new grpc.Server();
  server.addService(
    { connect: AgentService.connect },
    {
      connect: (call: grpc.ServerDuplexStream<AgentCall, IAgentEvent>) => {
        const md = new grpc.Metadata();
        md.set('x-probe', `seen ${String(call.metadata.get('x-probe')[0] ?? 'nothing')}`);
        call.sendMetadata(md);
        call.on('data', (m: AgentCall) => {
          seen.push(m);
          if (m.type === AgentCallType.HEARTBEAT && m.agentId?.value === 'fail')
            return call.emit('error', { code: grpc.status.FAILED_PRECONDITION, details: 'told to fail' });
          call.write({ type: AgentEventType.PING, epoch: seen.length });
        });
        call.on('end', () => {
          const trailer = new grpc.Metadata();
          trailer.set('x-trailer', 'bye');
          call.end(trailer);
        });
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { server, address: `127.0.0.1:${port}`, seen };
}

interface Opened {
  call: grpc.ClientDuplexStream<IAgentCall, AgentEvent>;
  events: AgentEvent[];
  headers: Promise<grpc.Metadata>;
  status: Promise<grpc.StatusObject>;
}

function open(address: string, client: grpc.Client, probe = 'p1'): Opened {
  const md = new grpc.Metadata();
  md.set('x-probe', probe);
  const call = client.makeBidiStreamRequest(
    AgentService.connect.path,
    AgentService.connect.serialize,
    AgentService.connect.deserialize,
    md,
  );
  const events: AgentEvent[] = [];
  call.on('data', (e: AgentEvent) => events.push(e));
  call.on('error', () => undefined);
  const headers = new Promise<grpc.Metadata>((r) => call.once('metadata', r));
  const status = new Promise<grpc.StatusObject>((r) => call.once('status', r));
  return { call, events, headers, status };
}

describe('GrpcMessageProxy (against a stand-in server)', function () {
  this.timeout(30_000);
  let master: Awaited<ReturnType<typeof fakeMaster>>;
  let proxy: GrpcMessageProxy<'agent'>;
  let client: grpc.Client;
  beforeEach(async () => {
    master = await fakeMaster();
    proxy = await GrpcMessageProxy.start({ service: 'agent', target: master.address });
    client = new grpc.Client(proxy.address, grpc.credentials.createInsecure());
  });
  afterEach(async () => {
    client.close();
    await proxy.close();
    master.server.forceShutdown();
  });

  it('forwards messages both ways with metadata, headers and the final status and trailers', async () => {
    const s = open(proxy.address, client);
    s.call.write({ type: AgentCallType.REGISTER });
    s.call.write({ type: AgentCallType.HEARTBEAT });
    await waitFor(() => s.events.length === 2, { message: 'two PINGs through the proxy' });
    expect(s.events.map((e) => [e.type, e.epoch])).to.deep.equal([
      [AgentEventType.PING, 1],
      [AgentEventType.PING, 2],
    ]);
    expect((await s.headers).get('x-probe')).to.deep.equal(['seen p1']);
    s.call.end();
    const status = await s.status;
    expect(status.code).to.equal(grpc.status.OK);
    expect(status.metadata.get('x-trailer')).to.deep.equal(['bye']);
    expect(proxy.counts()).to.deep.equal({
      passed: { toServer: { REGISTER: 1, HEARTBEAT: 1 }, toClient: { PING: 2 } },
      dropped: { toServer: {}, toClient: {} },
    });
    await waitFor(() => proxy.calls.open === 0, { message: 'the call forgotten' });
    expect(proxy.calls.total).to.equal(1);
  });

  it('forwards an error status with its code and details', async () => {
    const s = open(proxy.address, client);
    s.call.write({ type: AgentCallType.HEARTBEAT, agentId: { value: 'fail' } });
    const status = await s.status;
    expect([status.code, status.details]).to.deep.equal([grpc.status.FAILED_PRECONDITION, 'told to fail']);
  });

  it('drops the first n selected messages in each direction, and lets the rest through in order', async () => {
    const updates = proxy.dropFirst(2, { direction: 'toServer', type: 'UPDATE' });
    const pings = proxy.dropFirst(1, (direction, m) => direction === 'toClient' && m.type === AgentEventType.PING);
    const s = open(proxy.address, client);
    for (let i = 1; i <= 4; i++) s.call.write({ type: AgentCallType.UPDATE, update: { status: { message: `u${i}` } } });
    s.call.write({ type: AgentCallType.HEARTBEAT });
    await waitFor(() => master.seen.length === 3 && s.events.length === 2, { message: 'the survivors' });
    expect(master.seen.map((m) => m.update?.status?.message || AgentCallType[m.type])).to.deep.equal([
      'u3',
      'u4',
      'HEARTBEAT',
    ]);
    expect(s.events.map((e) => e.epoch)).to.deep.equal([2, 3]); // the first PING was dropped
    expect([updates.dropped, updates.remaining, pings.dropped, pings.remaining]).to.deep.equal([2, 0, 1, 0]);
    expect(proxy.counts().dropped).to.deep.equal({ toServer: { UPDATE: 2 }, toClient: { PING: 1 } });
    expect(proxy.counts().passed).to.deep.equal({ toServer: { UPDATE: 2, HEARTBEAT: 1 }, toClient: { PING: 2 } });
  });

  it('addFilter drops by any rule until removed; cutCalls ends calls with UNAVAILABLE', async () => {
    const remove = proxy.addFilter((direction, m) =>
      direction === 'toServer' && m.type === AgentCallType.HEARTBEAT ? 'drop' : 'pass',
    );
    const s = open(proxy.address, client);
    s.call.write({ type: AgentCallType.HEARTBEAT });
    s.call.write({ type: AgentCallType.REGISTER });
    await waitFor(() => s.events.length === 1, { message: 'one answer' });
    remove();
    s.call.write({ type: AgentCallType.HEARTBEAT });
    await waitFor(() => s.events.length === 2, { message: 'the heartbeat through once the filter is removed' });
    expect(master.seen.map((m) => AgentCallType[m.type])).to.deep.equal(['REGISTER', 'HEARTBEAT']);

    proxy.cutCalls();
    const status = await s.status;
    expect([status.code, status.details]).to.deep.equal([grpc.status.UNAVAILABLE, 'cut by the proxy']);
  });

  it('refuses a bad dropFirst count', () => {
    expect(() => proxy.dropFirst(-1, { direction: 'toServer' })).to.throw(ProxyError, /whole number/);
  });
});
