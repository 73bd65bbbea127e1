// What the fuzz runs found, each pinned down by a deterministic test on a real
// master (its only agent simulated):
// - a second framework subscribed on a stream that already served one was
//   left "connected" to nothing when the stream ended, holding its offers;
// - likewise a second agent registered on an agent stream;
// - an agent could re-register reporting tasks that use more than its total
//   (its free resources went negative);
// - an unknown call type sent with Scheduler.Call was answered OK (its error
//   went to the stream only);
// and the bounds of wire input reach a framework as an ERROR naming the
// field and the bound.
import { expect } from 'chai';
import type { MasterState } from '@mesocosm/master';
import {
  AgentEventType,
  AgentService,
  CallType,
  EventType,
  MAX_ID_LENGTH,
  Resources,
  type AgentEvent,
  type IAgentCall,
} from '@mesocosm/protocol';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import { validRegister, validTask } from './support/call-builders.js';
import { RawScheduler } from './support/raw-scheduler.js';
import { RawStream } from './support/raw-stream.js';

describe('fuzz findings, pinned down', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;

  before(async () => {
    cluster = await LocalCluster.start({ agents: [{ simulated: true }] });
    await cluster.waitForAgents(1);
  });
  after(() => cluster?.stop());

  const state = (): Promise<MasterState> => fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);

  it('refuses a second framework on a stream, and leaves no framework connected once the stream ends', async () => {
    const s = new RawScheduler(cluster.masterGrpc);
    await s.subscribe({ name: 'first', user: 'u', failoverTimeout: 0 });
    s.write({
      type: CallType.SUBSCRIBE,
      subscribe: { frameworkInfo: { name: 'second', user: 'u', failoverTimeout: 0 } },
    });
    const err = await s.take((e) => e.type === EventType.ERROR, 'an ERROR for the second SUBSCRIBE');
    expect(err.error?.message).to.match(/this stream serves framework .* on a new stream/);
    expect((await state()).frameworks.map((f) => f.name)).to.deep.equal(['first']);
    s.close();
    await waitFor(async () => (await state()).frameworks.length === 0, { message: 'no framework left' });
  });

  it('refuses a second agent on an agent stream', async () => {
    const stream = new RawStream<IAgentCall, AgentEvent>(cluster.masterGrpc, AgentService.connect);
    try {
      stream.write(validRegister('one'));
      await waitFor(() => stream.events.some((e) => e.type === AgentEventType.REGISTERED), { message: 'REGISTERED' });
      const other = validRegister('two');
      other.type = 2; // REREGISTER
      other.register!.agentInfo!.id = { value: 'another-agent' };
      stream.write(other);
      const error = await waitFor(() => stream.events.find((e) => e.type === AgentEventType.ERROR), {
        message: 'ERROR',
      });
      expect(error.error?.message).to.match(/this stream is agent .* on a new stream/);
      expect((await state()).slaves.map((a) => a.id)).to.not.include('another-agent');
    } finally {
      stream.close();
    }
  });

  it('refuses a registration whose reported tasks use more than the agent has', async () => {
    const stream = new RawStream<IAgentCall, AgentEvent>(cluster.masterGrpc, AgentService.connect);
    try {
      const call = validRegister('greedy'); // cpus:1;mem:256
      call.type = 2; // REREGISTER
      call.register!.agentInfo!.id = { value: 'greedy-agent' };
      call.register!.tasks = [
        {
          frameworkId: { value: 'some-framework' },
          task: validTask('big', 'greedy-agent'),
          status: { taskId: { value: 'big' }, state: 2 },
        },
      ];
      call.register!.tasks[0]!.task!.resources = Resources.parse('cpus:64;mem:1').toProto();
      stream.write(call);
      const error = await waitFor(() => stream.events.find((e) => e.type === AgentEventType.ERROR), {
        message: 'ERROR',
      });
      expect(error.error?.message).to.match(/register\.tasks: the reported tasks use cpus:64;mem:1, more than/);
      const st = await state();
      expect(st.slaves.map((a) => a.id)).to.not.include('greedy-agent');
      expect(st.frameworks.map((f) => f.id)).to.not.include('some-framework');
    } finally {
      stream.close();
    }
  });

  it('answers an unknown call type on Scheduler.Call with INVALID_ARGUMENT', async () => {
    const s = new RawScheduler(cluster.masterGrpc);
    try {
      await s.subscribe({ name: 'unary', user: 'u', failoverTimeout: 0 });
      const base = { frameworkId: { value: s.frameworkId }, streamId: s.streamId };
      expect(await s.unary({ ...base, type: CallType.UNKNOWN })).to.equal(3);
      expect(await s.unary({ ...base, type: 99 as CallType })).to.equal(3);
      expect(await s.unary({ ...base, type: CallType.REVIVE })).to.equal(0);
    } finally {
      s.close();
    }
  });

  it('refuses a call over a bound with an ERROR naming the field and the bound, and keeps the stream', async () => {
    const s = new RawScheduler(cluster.masterGrpc);
    try {
      await s.subscribe({ name: 'bounds', user: 'u', failoverTimeout: 0 });
      s.send({ type: CallType.KILL, kill: { taskId: { value: 'k'.repeat(MAX_ID_LENGTH + 1) } } });
      const err = await s.take((e) => e.type === EventType.ERROR, 'an ERROR for the long task ID');
      expect(err.error?.code).to.equal('INVALID_ARGUMENT');
      expect(err.error?.message).to.equal(
        `kill.task_id: has ${MAX_ID_LENGTH + 1} characters; at most ${MAX_ID_LENGTH} are accepted`,
      );
      // The stream still serves the framework: a call naming it is taken.
      const base = { frameworkId: { value: s.frameworkId }, streamId: s.streamId };
      expect(await s.unary({ ...base, type: CallType.REVIVE })).to.equal(0);
    } finally {
      s.close();
    }
  });
});
