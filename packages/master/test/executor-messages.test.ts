// Executor -> framework messages through the master over real gRPC: an
// agent's MESSAGE call becomes the framework's MESSAGE event, or is dropped.
import { expect } from 'chai';
import {
  AgentCallType,
  AgentEventType,
  EventType,
  MAX_MESSAGE_DATA_BYTES,
  silentLogger,
  type Event,
  type IAgentCall,
} from '@mesocosm/protocol';
import { Master } from '../src/index.js';
import { FakeAgent } from './helpers/fake-agent.js';
import { RawScheduler } from './helpers/raw-scheduler.js';

describe('master over gRPC: executor messages', function () {
  this.timeout(15_000);
  let master: Master;
  const closers: { close(): void }[] = [];

  beforeEach(async () => {
    master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
  });
  afterEach(async () => {
    closers.splice(0).forEach((c) => c.close());
    await master?.stop();
  });

  function agent(): FakeAgent {
    const a = new FakeAgent(master.grpcAddress);
    closers.push(a);
    return a;
  }
  async function scheduler(): Promise<RawScheduler> {
    const s = new RawScheduler(master.grpcAddress);
    closers.push(s);
    await s.subscribe();
    return s;
  }
  function messageCall(frameworkId: string, executorId: string, data: Uint8Array): IAgentCall {
    return {
      type: AgentCallType.MESSAGE,
      message: { frameworkId: { value: frameworkId }, executorId: { value: executorId }, data },
    };
  }
  function nextMessage(s: RawScheduler): Promise<Event> {
    return s.events.take((e) => e.type === EventType.MESSAGE, 'a MESSAGE event');
  }

  it("forwards an agent's MESSAGE to its framework as a MESSAGE event with the agent and executor IDs", async () => {
    const a = agent();
    const agentId = await a.register();
    const s = await scheduler();
    const other = await scheduler();
    a.write(messageCall(s.frameworkId, 'stage-1', Buffer.from('partial result')));
    const ev = await nextMessage(s);
    expect(ev.message?.agentId?.value).to.equal(agentId);
    expect(ev.message?.executorId?.value).to.equal('stage-1');
    expect(Buffer.from(ev.message?.data ?? []).toString()).to.equal('partial result');
    expect(ev.epoch).to.equal(1);
    // Only the framework it names gets it.
    expect(other.events.peek((e) => e.type === EventType.MESSAGE)).to.deep.equal([]);
  });

  it('carries data up to the size limit, and keeps messages in order', async () => {
    const a = agent();
    await a.register();
    const s = await scheduler();
    const big = Buffer.alloc(MAX_MESSAGE_DATA_BYTES, 7);
    a.write(messageCall(s.frameworkId, 'e1', Buffer.from('first')));
    a.write(messageCall(s.frameworkId, 'e1', big));
    a.write(messageCall(s.frameworkId, 'e1', Buffer.from('last')));
    const got = [await nextMessage(s), await nextMessage(s), await nextMessage(s)];
    expect(got.map((e) => e.message?.data?.length)).to.deep.equal([5, MAX_MESSAGE_DATA_BYTES, 4]);
    expect(Buffer.from(got[1]!.message!.data!).equals(big)).to.equal(true);
  });

  it('drops a message over the limit, without IDs, or for an unknown framework; the agent stays connected', async () => {
    const a = agent();
    await a.register();
    const s = await scheduler();
    a.write(messageCall(s.frameworkId, 'e1', Buffer.alloc(MAX_MESSAGE_DATA_BYTES + 1)));
    a.write(messageCall(s.frameworkId, '', Buffer.from('no executor')));
    a.write(messageCall('', 'e1', Buffer.from('no framework')));
    a.write(messageCall('no-such-framework', 'e1', Buffer.from('unknown framework')));
    a.write(messageCall(s.frameworkId, 'e1', Buffer.from('good')));
    // Messages of one agent stream are handled in order: the good one is the first to arrive.
    const ev = await nextMessage(s);
    expect(Buffer.from(ev.message?.data ?? []).toString()).to.equal('good');
    expect(s.events.peek((e) => e.type === EventType.MESSAGE)).to.deep.equal([]);
    expect(a.ended).to.equal(false);
    expect(a.events.peek((e) => e.type === AgentEventType.ERROR)).to.deep.equal([]);
  });

  it('refuses a MESSAGE from a stream that has not registered', async () => {
    const s = await scheduler();
    const ghost = agent();
    ghost.write(messageCall(s.frameworkId, 'e1', Buffer.from('spoofed')));
    const err = await ghost.take(AgentEventType.ERROR);
    expect(err.error?.code).to.equal('UNKNOWN_AGENT');
    expect(s.events.peek((e) => e.type === EventType.MESSAGE)).to.deep.equal([]);
  });
});
