// Every bad input gets a clear ERROR event or TASK_ERROR/TASK_DROPPED with a
// reason, nothing is half-applied, and the master keeps serving another framework.
import { expect } from 'chai';
import {
  AgentCallType,
  AgentEventType,
  CallType,
  EventType,
  silentLogger,
  TaskState,
  TaskStatusReason,
  type IOffer,
} from '@mesocosm/protocol';
import { Master } from '../src/index.js';
import { FakeAgent } from './helpers/fake-agent.js';
import { RawScheduler } from './helpers/raw-scheduler.js';
import { acceptCall, idOf, task } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

describe('master over gRPC: bad input', function () {
  this.timeout(15_000);
  let master: Master;
  let agent: FakeAgent;
  let agentId: string;
  let bad: RawScheduler;
  let good: RawScheduler;
  const closers: { close(): void }[] = [];

  beforeEach(async () => {
    master = await Master.start({
      ip: '127.0.0.1',
      port: 0,
      grpcPort: 0,
      logger: silentLogger,
      allocationIntervalMs: 50,
    });
    agent = new FakeAgent(master.grpcAddress);
    closers.push(agent);
    agentId = await agent.register('cpus:4;mem:4096');
    bad = new RawScheduler(master.grpcAddress);
    closers.push(bad);
    await bad.subscribe({ name: 'bad' });
  });

  afterEach(async () => {
    closers.splice(0).forEach((c) => c.close());
    await master.stop();
  });

  /** Another framework still gets offers and launches after the bad input. */
  async function masterStillServes(): Promise<void> {
    bad.send({ type: CallType.SUPPRESS, suppress: {} });
    for (const o of master.state().offers.filter((x) => x.framework_id === bad.frameworkId)) {
      bad.send({ type: CallType.DECLINE, decline: { offerIds: [{ value: o.id }], filters: { refuseSeconds: 0 } } });
    }
    good = new RawScheduler(master.grpcAddress);
    closers.push(good);
    await good.subscribe({ name: 'good' });
    const offer = await good.offer();
    good.send(acceptCall([idOf(offer)], [task(`ok-${Date.now()}`, agentId)]));
    await agent.take(AgentEventType.RUN_TASK, (e) => e.runTask?.framework?.id?.value === good.frameworkId);
  }

  /** Nothing of the bad framework was launched, and its offer's resources went back. */
  function nothingLaunched(): void {
    expect(agent.events.peek((e) => e.type === AgentEventType.RUN_TASK)).to.have.length(0);
    expect(master.state().frameworks.find((f) => f.id === bad.frameworkId)?.tasks).to.have.length(0);
  }

  async function taskError(taskId: string, pattern: RegExp): Promise<void> {
    const ev = await bad.update(taskId, TaskState.TASK_ERROR);
    expect(ev.update?.status?.reason).to.equal(TaskStatusReason.REASON_TASK_INVALID);
    expect(ev.update?.status?.message).to.match(pattern);
  }

  it('ACCEPT with an unknown offer ID: TASK_DROPPED and an ERROR event', async () => {
    bad.send(acceptCall(['no-such-offer'], [task('u1', agentId)]));
    const dropped = await bad.update('u1', TaskState.TASK_DROPPED);
    expect(dropped.update?.status?.reason).to.equal(TaskStatusReason.REASON_INVALID_OFFERS);
    const err = await bad.error('UNKNOWN_OFFER');
    expect(err.error?.message).to.match(/no-such-offer.*unknown/);
    expect(err.error?.callType).to.equal(CallType.ACCEPT);
    nothingLaunched();
    await masterStillServes();
  });

  it('ACCEPT with an already-used offer ID', async () => {
    const offer = await bad.offer();
    bad.send(acceptCall([idOf(offer)], [task('first', agentId)]));
    await agent.take(AgentEventType.RUN_TASK);
    bad.send(acceptCall([idOf(offer)], [task('second', agentId)]));
    await bad.update('second', TaskState.TASK_DROPPED);
    await bad.error('UNKNOWN_OFFER');
    expect(
      master
        .state()
        .frameworks.find((f) => f.id === bad.frameworkId)
        ?.tasks.map((t) => t.id),
    ).to.deep.equal(['first']);
    await masterStillServes();
  });

  it('tasks whose resources exceed the offer: TASK_ERROR for all, nothing launched', async () => {
    const offer = await bad.offer();
    bad.send(
      acceptCall([idOf(offer)], [task('fits', agentId, 'cpus:2;mem:128'), task('big', agentId, 'cpus:3;mem:128')]),
    );
    await taskError('big', /beyond the offers: cpus: needs 3, 2 left/);
    await taskError('fits', /sibling task 'big'/);
    nothingLaunched();
    expect(master.state().slaves[0]?.used_resources).to.deep.equal({});
    await masterStillServes();
  });

  it('a duplicate task ID, within the call and against a live task', async () => {
    let offer = await bad.offer();
    bad.send(acceptCall([idOf(offer)], [task('dup', agentId), task('dup', agentId)]));
    const first = await bad.update('dup', TaskState.TASK_ERROR);
    const second = await bad.update('dup', TaskState.TASK_ERROR);
    expect([first.update?.status?.message, second.update?.status?.message].join('\n')).to.match(/appears twice/);
    nothingLaunched();

    bad.send({ type: CallType.REVIVE, revive: {} });
    offer = await bad.offer();
    bad.send(acceptCall([idOf(offer)], [task('live', agentId)]));
    await agent.take(AgentEventType.RUN_TASK);
    bad.send({ type: CallType.REVIVE, revive: {} });
    offer = await bad.offer();
    bad.send(acceptCall([idOf(offer)], [task('live', agentId)]));
    await taskError('live', /already used by a live task/);
    await masterStillServes();
  });

  it("a task for another agent than the offer's", async () => {
    const offer = await bad.offer();
    bad.send(acceptCall([idOf(offer)], [task('wrong', 'some-other-agent')]));
    await taskError('wrong', /agent_id: 'some-other-agent' is not the agent of the offers/);
    nothingLaunched();
    await masterStillServes();
  });

  it('malformed resources and a negative scalar', async () => {
    let offer: IOffer = await bad.offer();
    const malformed = task('malformed', agentId);
    malformed.resources = [{ name: '', type: 0, scalar: { value: 1 } }];
    bad.send(acceptCall([idOf(offer)], [malformed]));
    await taskError('malformed', /resources\[0\]\.name.*not a valid resource name/);
    nothingLaunched();

    bad.send({ type: CallType.REVIVE, revive: {} });
    offer = await bad.offer();
    const negative = task('negative', agentId);
    negative.resources = [
      { name: 'cpus', type: 0, scalar: { value: -1 } },
      { name: 'mem', type: 0, scalar: { value: 64 } },
    ];
    bad.send(acceptCall([idOf(offer)], [negative]));
    await taskError('negative', /must not be negative/);
    nothingLaunched();

    bad.send({ type: CallType.REVIVE, revive: {} });
    offer = await bad.offer();
    const noCommand = task('nocmd', agentId);
    delete noCommand.command;
    bad.send(acceptCall([idOf(offer)], [noCommand]));
    await taskError('nocmd', /exactly one of `command` or `executor`/);
    nothingLaunched();
    await masterStillServes();
  });

  it('calls on a stream that never subscribed: NOT_SUBSCRIBED and the stream is closed', async () => {
    const stranger = new RawScheduler(master.grpcAddress);
    closers.push(stranger);
    stranger.write({
      type: CallType.ACCEPT,
      frameworkId: { value: bad.frameworkId },
      streamId: bad.streamId,
      accept: {},
    });
    const err = await stranger.error('NOT_SUBSCRIBED');
    expect(err.error?.message).to.match(/first call on a stream must be SUBSCRIBE/);
    await waitFor(() => stranger.ended, 'stream closed');
    // A call with a wrong stream ID on a subscribed stream is refused too.
    bad.write({ type: CallType.REVIVE, frameworkId: { value: bad.frameworkId }, streamId: 'forged' });
    await bad.error('STALE_STREAM');
    await masterStillServes();
  });

  it('a SUBSCRIBE with an invalid FrameworkInfo is refused', async () => {
    const s = new RawScheduler(master.grpcAddress);
    closers.push(s);
    s.write({ type: CallType.SUBSCRIBE, subscribe: { frameworkInfo: { name: '', roles: ['/bad'] } } });
    const err = await s.error('INVALID_ARGUMENT');
    expect(err.error?.message).to.match(/framework_info\.name/);
    await waitFor(() => s.ended, 'stream closed');
    await masterStillServes();
  });

  it('an agent registering twice with the same ID: ERROR AGENT_ALREADY_CONNECTED, the first stays', async () => {
    const twin = new FakeAgent(master.grpcAddress);
    closers.push(twin);
    twin.write({
      type: AgentCallType.REREGISTER,
      register: {
        agentInfo: {
          id: { value: agentId },
          hostname: 'twin',
          port: 5051,
          resources: [{ name: 'cpus', scalar: { value: 1 } }],
        },
      },
    });
    const err = await twin.take(AgentEventType.ERROR);
    expect(err.error?.code).to.equal('AGENT_ALREADY_CONNECTED');
    await waitFor(() => twin.ended, 'twin stream closed');
    expect(master.state().slaves).to.have.length(1);
    expect(master.state().slaves[0]?.hostname).to.equal('fake-host');
    expect(master.state().slaves[0]?.active).to.equal(true);
    await masterStillServes();
  });

  it('an agent with invalid resources is refused', async () => {
    const broken = new FakeAgent(master.grpcAddress);
    closers.push(broken);
    broken.write({
      type: AgentCallType.REGISTER,
      register: { agentInfo: { hostname: 'broken', port: 5051, resources: [{ name: 'cpus', scalar: { value: -4 } }] } },
    });
    const err = await broken.take(AgentEventType.ERROR);
    expect(err.error?.code).to.equal('INVALID_RESOURCE');
    expect(err.error?.message).to.match(/must not be negative/);
    expect(master.state().slaves).to.have.length(1);
    await masterStillServes();
  });

  it('status updates from an unregistered stream are refused', async () => {
    const ghost = new FakeAgent(master.grpcAddress);
    closers.push(ghost);
    ghost.write({ type: AgentCallType.UPDATE, update: { status: { taskId: { value: 'x' } } } });
    const err = await ghost.take(AgentEventType.ERROR);
    expect(err.error?.code).to.equal('UNKNOWN_AGENT');
    expect(bad.events.peek((e) => e.type === EventType.UPDATE)).to.have.length(0);
    await masterStillServes();
  });
});
