// The scheduler API end to end over real gRPC: a raw scheduler, a fake agent.
import { expect } from 'chai';
import {
  AgentEventType,
  CallType,
  EventType,
  FrameworkCapability,
  silentLogger,
  TaskState,
  TaskStatusReason,
  uuidToString,
} from '@mesocosm/protocol';
import { Master } from '../src/index.js';
import { FakeAgent } from './helpers/fake-agent.js';
import { RawScheduler } from './helpers/raw-scheduler.js';
import { acceptCall, idOf, task } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

describe('master over gRPC: scheduler flow', function () {
  this.timeout(15_000);
  let master: Master;
  const closers: { close(): void }[] = [];

  async function start(extra: Parameters<typeof Master.start>[0] = {}): Promise<void> {
    master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger, ...extra });
  }
  function agent(): FakeAgent {
    const a = new FakeAgent(master.grpcAddress);
    closers.push(a);
    return a;
  }
  function scheduler(): RawScheduler {
    const s = new RawScheduler(master.grpcAddress);
    closers.push(s);
    return s;
  }

  afterEach(async () => {
    closers.splice(0).forEach((c) => c.close());
    await master?.stop();
  });

  it('subscribes, offers, launches (RUN_TASK), routes updates and acknowledgements', async () => {
    await start();
    const a = agent();
    const agentId = await a.register('cpus:4;mem:4096', {
      attributes: [{ name: 'rack', type: 3, text: { value: 'r1' } }],
    });
    expect(agentId).to.match(new RegExp(`^${master.info.id}-S\\d+$`));
    const s = scheduler();
    const subscribed = await s.subscribe();
    expect(subscribed.subscribed?.streamId).to.be.a('string').and.not.equal('');
    expect(subscribed.subscribed?.masterInfo?.grpcPort).to.equal(master.info.grpcPort);
    expect(subscribed.epoch).to.equal(1);

    const offer = await s.offer();
    expect(offer.agentId?.value).to.equal(agentId);
    expect(offer.hostname).to.equal('fake-host');
    expect(offer.allocationRole).to.equal('*');
    expect(offer.url).to.equal('http://127.0.0.1:5051');
    expect(offer.attributes?.[0]?.name).to.equal('rack');

    s.send(acceptCall([idOf(offer)], [task('t1', agentId)]));
    const run = await a.take(AgentEventType.RUN_TASK);
    expect(run.runTask?.task?.taskId?.value).to.equal('t1');
    expect(run.runTask?.framework?.id?.value).to.equal(s.frameworkId);
    expect(run.epoch).to.equal(1);
    expect(master.state().frameworks[0]?.tasks[0]?.state).to.equal('TASK_STAGING');

    const uuid = a.sendUpdate(s.frameworkId, 't1', TaskState.TASK_RUNNING);
    const update = await s.update('t1', TaskState.TASK_RUNNING);
    expect(uuidToString(update.update?.status?.uuid)).to.equal(uuidToString(uuid));
    expect(master.state().frameworks[0]?.tasks[0]?.state).to.equal('TASK_RUNNING');

    s.send({ type: CallType.ACKNOWLEDGE, acknowledge: { agentId: { value: agentId }, taskId: { value: 't1' }, uuid } });
    const ack = await a.take(AgentEventType.ACKNOWLEDGE);
    expect(ack.acknowledge?.taskId?.value).to.equal('t1');
    expect(ack.acknowledge?.frameworkId?.value).to.equal(s.frameworkId);
    expect(uuidToString(ack.acknowledge?.uuid)).to.equal(uuidToString(uuid));

    // The unused part (3 cpus) comes back in a later offer once the filter lapses.
    a.sendUpdate(s.frameworkId, 't1', TaskState.TASK_FINISHED);
    await s.update('t1', TaskState.TASK_FINISHED);
    await waitFor(() => master.state().frameworks[0]?.completed_tasks.length === 1, 'task completed');
    expect(master.state().frameworks[0]?.completed_tasks[0]?.statuses.map((x) => x.state)).to.deep.equal([
      'TASK_RUNNING',
      'TASK_FINISHED',
    ]);
  });

  it('declines with a filter: the agent is not re-offered before it expires, then is', async () => {
    await start({ allocationIntervalMs: 50 });
    const a = agent();
    await a.register();
    const s = scheduler();
    await s.subscribe();
    const first = await s.offer();
    const declinedAt = Date.now();
    s.send({
      type: CallType.DECLINE,
      decline: {
        offerIds: [{ value: idOf(first) }],
        filters: { refuseSeconds: 0.5 },
        reasons: [{ reason: 'insufficient mem', detail: 'needs 8192', count: 2 }],
      },
    });
    const second = await s.offer();
    expect(Date.now() - declinedAt).to.be.at.least(450);
    expect(idOf(second)).to.not.equal(idOf(first));
    const fw = master.state().frameworks[0];
    expect(fw?.decline_reasons).to.deep.equal([{ reason: 'insufficient mem', detail: 'needs 8192', count: 2 }]);
  });

  it('suppress stops offers, revive brings them back at once', async () => {
    await start({ allocationIntervalMs: 50 });
    const a = agent();
    await a.register();
    const s = scheduler();
    await s.subscribe({ name: 'suppressed' });
    const first = await s.offer();
    s.send({ type: CallType.SUPPRESS, suppress: {} });
    s.send({ type: CallType.DECLINE, decline: { offerIds: [{ value: idOf(first) }], filters: { refuseSeconds: 0 } } });
    // Another framework gets the freed resources: allocation ran, and skipped the suppressed one.
    const other = scheduler();
    await other.subscribe({ name: 'other' });
    const taken = await other.offer();
    expect(s.events.peek((e) => e.type === EventType.OFFERS)).to.have.length(0);
    other.send({
      type: CallType.DECLINE,
      decline: { offerIds: [{ value: idOf(taken) }], filters: { refuseSeconds: 60 } },
    });
    s.send({ type: CallType.REVIVE, revive: {} });
    const again = await s.offer();
    expect(again.agentId?.value).to.equal(a.agentId);
  });

  it('kills a known task through its agent and answers TASK_LOST for an unknown one', async () => {
    await start();
    const a = agent();
    const agentId = await a.register();
    const s = scheduler();
    await s.subscribe();
    const offer = await s.offer();
    s.send(acceptCall([idOf(offer)], [task('k1', agentId)]));
    await a.take(AgentEventType.RUN_TASK);
    s.send({ type: CallType.KILL, kill: { taskId: { value: 'k1' }, agentId: { value: agentId } } });
    const kill = await a.take(AgentEventType.KILL_TASK);
    expect(kill.killTask?.taskId?.value).to.equal('k1');
    s.send({ type: CallType.KILL, kill: { taskId: { value: 'nope' } } });
    const lost = await s.update('nope', TaskState.TASK_LOST);
    expect(lost.update?.status?.reason).to.equal(TaskStatusReason.REASON_RECONCILIATION);
    expect(lost.update?.status?.uuid?.length ?? 0).to.equal(0);
  });

  it('reconciles explicitly (known and unknown tasks) and implicitly', async () => {
    await start();
    const a = agent();
    const agentId = await a.register();
    const s = scheduler();
    await s.subscribe({ name: 'pa', capabilities: [FrameworkCapability.PARTITION_AWARE] });
    const offer = await s.offer();
    s.send(acceptCall([idOf(offer)], [task('r1', agentId), task('r2', agentId)]));
    await a.take(AgentEventType.RUN_TASK);
    a.sendUpdate(s.frameworkId, 'r1', TaskState.TASK_RUNNING);
    await s.update('r1', TaskState.TASK_RUNNING);

    s.send({
      type: CallType.RECONCILE,
      reconcile: {
        tasks: [
          { taskId: { value: 'r1' } },
          { taskId: { value: 'ghost' }, agentId: { value: agentId } },
          { taskId: { value: 'nowhere' }, agentId: { value: 'no-such-agent' } },
        ],
      },
    });
    const r1 = await s.update('r1');
    expect(r1.update?.status?.state).to.equal(TaskState.TASK_RUNNING);
    expect(r1.update?.status?.reason).to.equal(TaskStatusReason.REASON_RECONCILIATION);
    expect(r1.update?.status?.uuid?.length ?? 0).to.equal(0);
    // Mesos' rules: unknown task on a registered agent is GONE; on an unknown agent, UNKNOWN.
    const ghost = await s.update('ghost');
    expect(ghost.update?.status?.state).to.equal(TaskState.TASK_GONE);
    const nowhere = await s.update('nowhere');
    expect(nowhere.update?.status?.state).to.equal(TaskState.TASK_UNKNOWN);

    s.send({ type: CallType.RECONCILE, reconcile: {} });
    const states = new Map<string, number>();
    for (const id of ['r1', 'r2']) states.set(id, (await s.update(id)).update?.status?.state ?? -1);
    expect(states.get('r1')).to.equal(TaskState.TASK_RUNNING);
    expect(states.get('r2')).to.equal(TaskState.TASK_STAGING);
  });

  it('routes MESSAGE to the agent and SHUTDOWN as kills of the executor tasks', async () => {
    await start();
    const a = agent();
    const agentId = await a.register();
    const s = scheduler();
    await s.subscribe();
    const offer = await s.offer();
    s.send(acceptCall([idOf(offer)], [task('m1', agentId)]));
    await a.take(AgentEventType.RUN_TASK);
    s.send({
      type: CallType.MESSAGE,
      message: { agentId: { value: agentId }, executorId: { value: 'm1' }, data: Buffer.from('hello') },
    });
    const msg = await a.take(AgentEventType.MESSAGE);
    expect(Buffer.from(msg.message?.data ?? []).toString()).to.equal('hello');
    expect(msg.message?.frameworkId?.value).to.equal(s.frameworkId);
    s.send({ type: CallType.SHUTDOWN, shutdown: { agentId: { value: agentId }, executorId: { value: 'm1' } } });
    const kill = await a.take(AgentEventType.KILL_TASK);
    expect(kill.killTask?.taskId?.value).to.equal('m1');
  });

  it('tears a framework down: tasks killed, framework removed, stream closed', async () => {
    await start();
    const a = agent();
    const agentId = await a.register();
    const s = scheduler();
    await s.subscribe();
    const offer = await s.offer();
    s.send(acceptCall([idOf(offer)], [task('d1', agentId)]));
    await a.take(AgentEventType.RUN_TASK);
    s.send({ type: CallType.TEARDOWN });
    await a.take(AgentEventType.KILL_TASK, (e) => e.killTask?.taskId?.value === 'd1');
    await a.take(AgentEventType.SHUTDOWN_FRAMEWORK);
    await s.error('FRAMEWORK_REMOVED');
    await waitFor(() => s.ended, 'stream closed');
    const state = master.state();
    expect(state.frameworks).to.have.length(0);
    expect(state.completed_frameworks[0]?.id).to.equal(s.frameworkId);
    expect(state.slaves[0]?.used_resources).to.deep.equal({});
  });

  it('rescinds offers after the offer timeout and re-offers the resources', async () => {
    await start({ offerTimeoutMs: 200 });
    const a = agent();
    await a.register();
    const s = scheduler();
    await s.subscribe();
    const offer = await s.offer();
    const rescind = await s.events.take((e) => e.type === EventType.RESCIND, 'RESCIND');
    expect(rescind.rescind?.offerId?.value).to.equal(idOf(offer));
    const next = await s.offer();
    expect(idOf(next)).to.not.equal(idOf(offer));
  });

  it('fails a framework over: new stream ID, old stream closed, stale calls refused', async () => {
    await start();
    const a = agent();
    const agentId = await a.register();
    const s1 = scheduler();
    await s1.subscribe({ name: 'fo', failoverTimeout: 60 });
    const offer = await s1.offer();
    s1.send(acceptCall([idOf(offer)], [task('f1', agentId, 'cpus:1;mem:128')]));
    await a.take(AgentEventType.RUN_TASK);

    const s2 = scheduler();
    s2.frameworkId = s1.frameworkId;
    await s2.subscribe({ name: 'fo', failoverTimeout: 60, id: { value: s1.frameworkId } });
    expect(s2.frameworkId).to.equal(s1.frameworkId);
    expect(s2.streamId).to.not.equal(s1.streamId);
    await s1.error('FRAMEWORK_FAILED_OVER');
    await waitFor(() => s1.ended, 'old stream closed');

    // The old stream ID is refused on the unary endpoint and on the new stream.
    const err = await s1.unary({ type: CallType.REVIVE }).then(
      () => undefined,
      (e: { code?: number }) => e,
    );
    expect(err?.code).to.equal(9); // FAILED_PRECONDITION
    s2.write({
      type: CallType.KILL,
      frameworkId: { value: s1.frameworkId },
      streamId: s1.streamId,
      kill: { taskId: { value: 'f1' } },
    });
    await s2.error('STALE_STREAM');
    // The task survived the failover, and the new stream works (also through the unary endpoint).
    await s2.unary({ type: CallType.KILL, kill: { taskId: { value: 'f1' } } });
    await a.take(AgentEventType.KILL_TASK);
    expect(master.state().frameworks[0]?.tasks.map((t) => t.id)).to.deep.equal(['f1']);
  });

  it('sends HEARTBEAT events at the heartbeat interval', async () => {
    await start({ heartbeatIntervalMs: 100 });
    const s = scheduler();
    const sub = await s.subscribe();
    expect(sub.subscribed?.heartbeatIntervalSeconds).to.equal(0.1);
    await s.events.take((e) => e.type === EventType.HEARTBEAT, 'first HEARTBEAT');
    await s.events.take((e) => e.type === EventType.HEARTBEAT, 'second HEARTBEAT');
  });

  it('keeps a disconnected framework for its failover timeout, then tears it down', async () => {
    await start();
    const a = agent();
    const agentId = await a.register();
    const s = scheduler();
    await s.subscribe({ name: 'short', failoverTimeout: 0.3 });
    const offer = await s.offer();
    s.send(acceptCall([idOf(offer)], [task('ft1', agentId)]));
    await a.take(AgentEventType.RUN_TASK);
    s.close();
    await waitFor(() => master.state().frameworks[0]?.connected === false, 'disconnected');
    expect(master.state().frameworks[0]?.tasks).to.have.length(1);
    await a.take(AgentEventType.KILL_TASK, (e) => e.killTask?.taskId?.value === 'ft1');
    expect(master.state().frameworks).to.have.length(0);
  });
});
