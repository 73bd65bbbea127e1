// The master core without sockets, on a FakeClock: time-driven behaviour.
import { expect } from 'chai';
import {
  AgentCallType,
  AgentEventType,
  CallType,
  EventType,
  FrameworkCapability,
  TaskState,
  TaskStatusReason,
} from '@mesocosm/protocol';
import { FakeAgentConn, FakeFramework, makeCore } from './helpers/core-harness.js';
import { acceptCall, task } from './helpers/tasks.js';

const lastOfferId = (fw: FakeFramework): string => fw.of(EventType.OFFERS).at(-1)?.offers?.offers?.[0]?.id?.value ?? '';

describe('master core (FakeClock)', () => {
  it('coalesces allocation: one run for many changes, offers after the pending timer fires', async () => {
    const { core, clock } = makeCore();
    const agents = [new FakeAgentConn(core), new FakeAgentConn(core), new FakeAgentConn(core)];
    for (const a of agents) await a.register();
    const fw = new FakeFramework(core);
    await fw.subscribe();
    expect(fw.of(EventType.OFFERS)).to.have.length(0);
    clock.advance(0);
    expect(fw.of(EventType.OFFERS)).to.have.length(1);
    expect(fw.of(EventType.OFFERS)[0]?.offers?.offers).to.have.length(3);
    expect(fw.events.every((e) => e.epoch === 1)).to.equal(true);
  });

  it('a decline filter holds until it expires; the periodic allocation then re-offers', async () => {
    const { core, clock } = makeCore({ allocationIntervalMs: 1000 });
    const agent = new FakeAgentConn(core);
    await agent.register();
    const fw = new FakeFramework(core);
    await fw.subscribe();
    clock.advance(0);
    await fw.call({
      type: CallType.DECLINE,
      decline: { offerIds: [{ value: lastOfferId(fw) }], filters: { refuseSeconds: 10 } },
    });
    clock.advance(9_000);
    expect(fw.of(EventType.OFFERS)).to.have.length(1);
    clock.advance(2_000);
    expect(fw.of(EventType.OFFERS)).to.have.length(2);
  });

  it('a decline without filters uses the default refuse seconds', async () => {
    const { core, clock } = makeCore({ defaultRefuseSeconds: 5 });
    const agent = new FakeAgentConn(core);
    await agent.register();
    const fw = new FakeFramework(core);
    await fw.subscribe();
    clock.advance(0);
    await fw.call({ type: CallType.DECLINE, decline: { offerIds: [{ value: lastOfferId(fw) }] } });
    clock.advance(4_000);
    expect(fw.of(EventType.OFFERS)).to.have.length(1);
    clock.advance(2_000);
    expect(fw.of(EventType.OFFERS)).to.have.length(2);
  });

  it('rescinds offers at the offer timeout', async () => {
    const { core, clock } = makeCore({ offerTimeoutMs: 30_000, allocationIntervalMs: 60_000 });
    const agent = new FakeAgentConn(core);
    await agent.register();
    const fw = new FakeFramework(core);
    await fw.subscribe();
    clock.advance(0);
    const offerId = lastOfferId(fw);
    clock.advance(29_999);
    expect(fw.of(EventType.RESCIND)).to.have.length(0);
    clock.advance(1);
    expect(fw.of(EventType.RESCIND)[0]?.rescind?.offerId?.value).to.equal(offerId);
    expect(core.metrics()['master/offers_rescinded']).to.equal(1);
    clock.advance(0);
    expect(fw.of(EventType.OFFERS)).to.have.length(2);
  });

  it('sends HEARTBEAT events every heartbeat interval', async () => {
    const { core, clock } = makeCore({ heartbeatIntervalMs: 15_000 });
    const fw = new FakeFramework(core);
    await fw.subscribe();
    clock.advance(44_999);
    expect(fw.of(EventType.HEARTBEAT)).to.have.length(2);
    clock.advance(1);
    expect(fw.of(EventType.HEARTBEAT)).to.have.length(3);
  });

  it('tears down at once a framework with failover_timeout 0 whose stream closes', async () => {
    const { core, clock } = makeCore();
    const agent = new FakeAgentConn(core);
    await agent.register();
    const fw = new FakeFramework(core);
    await fw.subscribe({ name: 'no-failover' });
    clock.advance(0);
    await fw.call(acceptCall([lastOfferId(fw)], [task('t', agent.agentId)]));
    fw.disconnect();
    expect(core.state().frameworks).to.have.length(0);
    expect(agent.of(AgentEventType.KILL_TASK)).to.have.length(1);
    expect(agent.of(AgentEventType.SHUTDOWN_FRAMEWORK)).to.have.length(1);
    expect(core.state().completed_frameworks[0]?.completed_tasks[0]?.state).to.equal('TASK_KILLED');
  });

  it('a disconnected framework gets no offers, keeps its tasks, and resumes by re-subscribing in time', async () => {
    // Pings far apart: this fake agent does not answer them.
    const { core, clock } = makeCore({ agentPingIntervalMs: 1_000_000 });
    const agent = new FakeAgentConn(core);
    await agent.register('cpus:4;mem:4096');
    const fw = new FakeFramework(core);
    await fw.subscribe({ name: 'fo', failoverTimeout: 100 });
    clock.advance(0);
    await fw.call(acceptCall([lastOfferId(fw)], [task('t', agent.agentId)]));
    fw.disconnect();
    clock.advance(99_000);
    expect(core.state().frameworks[0]?.connected).to.equal(false);
    expect(core.state().frameworks[0]?.tasks).to.have.length(1);
    expect(core.state().offers).to.have.length(0);
    const again = new FakeFramework(core);
    await again.subscribe({ name: 'fo', failoverTimeout: 100, id: { value: fw.frameworkId } });
    clock.advance(10_000);
    expect(core.state().frameworks[0]?.connected).to.equal(true);
    expect(core.state().frameworks[0]?.tasks).to.have.length(1);
    expect(again.of(EventType.OFFERS).length).to.be.greaterThan(0);
  });

  it('an agent that misses its pings is unreachable: TASK_LOST for others, TASK_UNREACHABLE for partition-aware', async () => {
    const { core, clock } = makeCore({ agentPingIntervalMs: 1000, maxAgentPingTimeouts: 3 });
    const agent = new FakeAgentConn(core);
    await agent.register('cpus:4;mem:4096');
    const plain = new FakeFramework(core);
    await plain.subscribe({ name: 'plain', roles: ['a'] });
    const aware = new FakeFramework(core);
    await aware.subscribe({ name: 'aware', roles: ['b'], capabilities: [FrameworkCapability.PARTITION_AWARE] });
    // One offer to one of them; launch there, then let the other get the rest.
    clock.advance(0);
    const holder = plain.of(EventType.OFFERS).length > 0 ? plain : aware;
    const other = holder === plain ? aware : plain;
    await holder.call(acceptCall([lastOfferId(holder)], [task('t1', agent.agentId, 'cpus:1;mem:128')], 0));
    clock.advance(0);
    await other.call(acceptCall([lastOfferId(other)], [task('t2', agent.agentId, 'cpus:1;mem:128')], 0));

    // Answer two pings, then fall silent.
    clock.advance(1000);
    await agent.send({ type: AgentCallType.HEARTBEAT });
    clock.advance(1000);
    await agent.send({ type: AgentCallType.HEARTBEAT });
    expect(agent.of(AgentEventType.PING)).to.have.length(2);
    clock.advance(3000);
    expect(core.state().slaves[0]?.status).to.equal('connected');
    clock.advance(1000);
    expect(core.state().slaves[0]?.status).to.equal('unreachable');
    expect(agent.closed).to.equal(true);
    const plainTask = plain === holder ? 't1' : 't2';
    const awareTask = aware === holder ? 't1' : 't2';
    const lost = plain.of(EventType.UPDATE).find((e) => e.update?.status?.taskId?.value === plainTask);
    expect(lost?.update?.status?.state).to.equal(TaskState.TASK_LOST);
    expect(lost?.update?.status?.reason).to.equal(TaskStatusReason.REASON_AGENT_REMOVED);
    const unreachable = aware.of(EventType.UPDATE).find((e) => e.update?.status?.taskId?.value === awareTask);
    expect(unreachable?.update?.status?.state).to.equal(TaskState.TASK_UNREACHABLE);
    expect(core.metrics()['master/cpus_total']).to.equal(0);

    // It comes back: the partition-aware task is running again, the lost one is killed on the agent.
    const back = new FakeAgentConn(core);
    await back.register(
      'cpus:4;mem:4096',
      {
        tasks: [
          {
            frameworkId: { value: plain.frameworkId },
            task: task(plainTask, agent.agentId, 'cpus:1;mem:128'),
            status: { taskId: { value: plainTask }, state: TaskState.TASK_RUNNING },
          },
          {
            frameworkId: { value: aware.frameworkId },
            task: task(awareTask, agent.agentId, 'cpus:1;mem:128'),
            status: { taskId: { value: awareTask }, state: TaskState.TASK_RUNNING },
          },
        ],
      },
      agent.agentId,
    );
    expect(back.agentId).to.equal(agent.agentId);
    expect(back.of(AgentEventType.KILL_TASK).map((e) => e.killTask?.taskId?.value)).to.deep.equal([plainTask]);
    const running = aware
      .of(EventType.UPDATE)
      .filter((e) => e.update?.status?.taskId?.value === awareTask)
      .at(-1);
    expect(running?.update?.status?.state).to.equal(TaskState.TASK_RUNNING);
    const awareState = core.state().frameworks.find((f) => f.id === aware.frameworkId);
    expect(awareState?.tasks.map((t) => t.state)).to.deep.equal(['TASK_RUNNING']);
    expect(core.metrics()['master/cpus_total']).to.equal(4);
    expect(core.metrics()['master/cpus_used']).to.equal(1);

    // The lost task's kill reports TASK_KILLED: the framework already had TASK_LOST, its one
    // terminal state, so the master acknowledges the update itself and does not forward it.
    const plainUpdates = plain.of(EventType.UPDATE).length;
    const uuid = new Uint8Array([7, 7, 7, 7]);
    await back.send({
      type: AgentCallType.UPDATE,
      update: {
        frameworkId: { value: plain.frameworkId },
        status: { taskId: { value: plainTask }, state: TaskState.TASK_KILLED, uuid },
      },
    });
    expect(plain.of(EventType.UPDATE)).to.have.length(plainUpdates);
    const acks = back.of(AgentEventType.ACKNOWLEDGE).map((e) => [...(e.acknowledge?.uuid ?? [])]);
    expect(acks).to.deep.include([7, 7, 7, 7]);
  });

  it('an agent whose stream closes is unreachable unless it re-registers within the grace period', async () => {
    const { core, clock } = makeCore({ agentPingIntervalMs: 1000, maxAgentPingTimeouts: 5 });
    const agent = new FakeAgentConn(core);
    await agent.register();
    const fw = new FakeFramework(core);
    await fw.subscribe();
    clock.advance(0);
    agent.disconnect();
    expect(fw.of(EventType.RESCIND)).to.have.length(1);
    expect(core.state().slaves[0]?.status).to.equal('disconnected');
    clock.advance(4_999);
    const back = new FakeAgentConn(core);
    await back.register('cpus:4;mem:4096', {}, agent.agentId);
    clock.advance(4_000);
    expect(core.state().slaves[0]?.status).to.equal('connected');
    back.disconnect();
    clock.advance(5_000);
    expect(core.state().slaves[0]?.status).to.equal('unreachable');
  });

  it('status updates for a disconnected framework are recorded, not forwarded; TEARDOWN via operator', async () => {
    const { core, clock } = makeCore();
    const agent = new FakeAgentConn(core);
    await agent.register();
    const fw = new FakeFramework(core);
    await fw.subscribe({ name: 'x', failoverTimeout: 60 });
    clock.advance(0);
    await fw.call(acceptCall([lastOfferId(fw)], [task('t', agent.agentId)]));
    fw.disconnect();
    const before = fw.events.length;
    await agent.send({
      type: AgentCallType.UPDATE,
      update: {
        frameworkId: { value: fw.frameworkId },
        status: { taskId: { value: 't' }, state: TaskState.TASK_RUNNING, uuid: new Uint8Array([1, 2]) },
      },
    });
    expect(fw.events.length).to.equal(before);
    expect(core.state().frameworks[0]?.tasks[0]?.state).to.equal('TASK_RUNNING');
    core.teardown(fw.frameworkId);
    expect(core.state().frameworks).to.have.length(0);
    expect(() => core.teardown('nope')).to.throw(/no framework 'nope'/);
  });
});
