// DRAIN_AGENT, DEACTIVATE_AGENT and REACTIVATE_AGENT on the core (FakeClock,
// fake connections), and drains surviving a failover to a second core.
import { expect } from 'chai';
import {
  AgentCallType,
  AgentEventType,
  EventType,
  FakeClock,
  MesocosmError,
  newUpdateUuid,
  TaskState,
  type IAgentCall,
} from '@mesocosm/protocol';
import type { MasterCore } from '../src/core/master-core.js';
import { AGENT_REMOVED } from '../src/core/gone-agents.js';
import { InMemoryRegistry } from '../src/registry/in-memory-registry.js';
import type { DrainConfig } from '../src/registry/registry.js';
import { FakeAgentConn, FakeFramework } from './helpers/core-harness.js';
import { electedCore, settle } from './helpers/failover.js';
import { acceptCall, task } from './helpers/tasks.js';

const T0 = 1_700_000_000_000;
const OPTIONS = { agentPingIntervalMs: 3_600_000, agentReregisterTimeoutMs: 600_000, allocationIntervalMs: 1_000 };
const drain = (over: Partial<DrainConfig> = {}): DrainConfig => ({
  maxGracePeriodMs: undefined,
  markGone: false,
  leaveTasksRunning: false,
  ...over,
});

const update = (frameworkId: string, taskId: string, state: TaskState): IAgentCall => ({
  type: AgentCallType.UPDATE,
  update: {
    frameworkId: { value: frameworkId },
    status: { taskId: { value: taskId }, state, uuid: newUpdateUuid(), source: 1 },
  },
});

/** A leading core with one agent running task t1 (kill grace 30 s) for a framework holding an offer for the rest. */
async function running(core: MasterCore, clock: FakeClock): Promise<{ agent: FakeAgentConn; fw: FakeFramework }> {
  const agent = new FakeAgentConn(core);
  await agent.register('cpus:4;mem:4096');
  const fw = new FakeFramework(core);
  await fw.subscribe({ name: 'fw', failoverTimeout: 3600 });
  clock.advance(0);
  const offerId = fw.of(EventType.OFFERS)[0]?.offers?.offers?.[0]?.id?.value ?? '';
  const t1 = { ...task('t1', agent.agentId, 'cpus:1;mem:128'), killPolicy: { gracePeriodSeconds: 30 } };
  await fw.call(acceptCall([offerId], [t1], 0));
  await agent.send(update(fw.frameworkId, 't1', TaskState.TASK_RUNNING));
  clock.advance(0); // the rest is offered again
  expect(fw.of(EventType.OFFERS)).to.have.length(2);
  return { agent, fw };
}

const agentJson = (core: MasterCore, id: string) => core.state().slaves.find((a) => a.id === id);

describe('maintenance: drain, deactivate, reactivate (FakeClock)', () => {
  it('drains with kills: offers rescinded, KILL_TASK with the capped grace, DRAINING then DRAINED, in the registry', async () => {
    const clock = new FakeClock(T0);
    const registry = new InMemoryRegistry();
    const core = await electedCore(registry, clock, OPTIONS, 1);
    const { agent, fw } = await running(core, clock);

    await core.drainAgent(agent.agentId, drain({ maxGracePeriodMs: 5_000 }));
    expect((await registry.drains())[0]?.drain?.state).to.equal('DRAINING');
    expect(fw.of(EventType.RESCIND)).to.have.length(1);
    const kill = agent.of(AgentEventType.KILL_TASK)[0]?.killTask;
    expect(kill?.taskId?.value).to.equal('t1');
    expect(kill?.killPolicy?.gracePeriodSeconds).to.equal(5); // min(30, 5)
    expect(agentJson(core, agent.agentId)).to.deep.include({ deactivated: true });
    expect(agentJson(core, agent.agentId)?.drain_info).to.deep.equal({
      state: 'DRAINING',
      config: { max_grace_period: { nanoseconds: 5e9 }, mark_gone: false, leave_tasks_running: false },
    });
    const grpcAgent = core.clusterState().agents?.[0];
    expect(grpcAgent?.deactivated).to.equal(true);
    expect(grpcAgent?.drainInfo?.config?.maxGracePeriod?.nanoseconds).to.equal(5e9);

    clock.advance(10_000);
    expect(fw.of(EventType.OFFERS)).to.have.length(2); // none for a draining agent

    await agent.send(update(fw.frameworkId, 't1', TaskState.TASK_KILLED));
    await settle();
    expect(agentJson(core, agent.agentId)?.drain_info?.state).to.equal('DRAINED');
    expect((await registry.drains())[0]?.drain?.state).to.equal('DRAINED');
    clock.advance(10_000);
    expect(fw.of(EventType.OFFERS)).to.have.length(2); // drained stays out of offers
    core.stop();
  });

  it('drains with leave_tasks_running: no kill; DRAINED once the task ends by itself', async () => {
    const clock = new FakeClock(T0);
    const core = await electedCore(new InMemoryRegistry(), clock, OPTIONS, 1);
    const { agent, fw } = await running(core, clock);
    await core.drainAgent(agent.agentId, drain({ leaveTasksRunning: true }));
    await settle();
    expect(agent.of(AgentEventType.KILL_TASK)).to.have.length(0);
    expect(agentJson(core, agent.agentId)?.drain_info?.state).to.equal('DRAINING');
    await agent.send(update(fw.frameworkId, 't1', TaskState.TASK_FINISHED));
    await settle();
    expect(agentJson(core, agent.agentId)?.drain_info?.state).to.equal('DRAINED');
    core.stop();
  });

  it('without max_grace_period the kill carries no policy (the task keeps its own grace)', async () => {
    const clock = new FakeClock(T0);
    const core = await electedCore(new InMemoryRegistry(), clock, OPTIONS, 1);
    const { agent } = await running(core, clock);
    await core.drainAgent(agent.agentId, drain());
    const kill = agent.of(AgentEventType.KILL_TASK)[0]?.killTask;
    expect(kill?.taskId?.value).to.equal('t1');
    expect(kill?.killPolicy ?? null).to.equal(null);
    core.stop();
  });

  it('deactivate stops offers without killing; reactivate brings offers back and clears the registry', async () => {
    const clock = new FakeClock(T0);
    const registry = new InMemoryRegistry();
    const core = await electedCore(registry, clock, OPTIONS, 1);
    const { agent, fw } = await running(core, clock);
    await core.deactivateAgent(agent.agentId);
    expect(fw.of(EventType.RESCIND)).to.have.length(1);
    expect(agent.of(AgentEventType.KILL_TASK)).to.have.length(0);
    expect(agentJson(core, agent.agentId)).to.deep.include({ deactivated: true });
    expect(agentJson(core, agent.agentId)?.drain_info).to.equal(undefined);
    clock.advance(5_000);
    expect(fw.of(EventType.OFFERS)).to.have.length(2);

    await core.reactivateAgent(agent.agentId);
    expect(await registry.drains()).to.deep.equal([]);
    clock.advance(0);
    expect(fw.of(EventType.OFFERS)).to.have.length(3);
    expect(agentJson(core, agent.agentId)).to.deep.include({ deactivated: false });

    let err: unknown;
    await core.reactivateAgent(agent.agentId).catch((e: unknown) => (err = e));
    expect((err as MesocosmError).code).to.equal('INVALID_ARGUMENT');
    err = undefined;
    await core.drainAgent('nope', drain()).catch((e: unknown) => (err = e));
    expect((err as MesocosmError).code).to.equal('UNKNOWN_AGENT');
    core.stop();
  });

  it('reactivating a draining agent cancels the drain: offers again', async () => {
    const clock = new FakeClock(T0);
    const core = await electedCore(new InMemoryRegistry(), clock, OPTIONS, 1);
    const { agent, fw } = await running(core, clock);
    await core.drainAgent(agent.agentId, drain({ leaveTasksRunning: true }));
    await core.reactivateAgent(agent.agentId);
    clock.advance(0);
    expect(fw.of(EventType.OFFERS)).to.have.length(3);
    core.stop();
  });

  it('drain with mark_gone: once drained the agent is removed for good', async () => {
    const clock = new FakeClock(T0);
    const registry = new InMemoryRegistry();
    const core = await electedCore(registry, clock, OPTIONS, 1);
    const { agent, fw } = await running(core, clock);
    await core.drainAgent(agent.agentId, drain({ markGone: true, maxGracePeriodMs: 0 }));
    expect(agent.of(AgentEventType.KILL_TASK)[0]?.killTask?.killPolicy?.gracePeriodSeconds).to.equal(0);
    await agent.send(update(fw.frameworkId, 't1', TaskState.TASK_KILLED));
    await settle();
    expect(agent.of(AgentEventType.ERROR)[0]?.error?.code).to.equal(AGENT_REMOVED);
    expect(agent.closed).to.equal(true);
    expect(core.state().slaves).to.have.length(0);
    expect(fw.of(EventType.FAILURE)[0]?.failure?.agentId?.value).to.equal(agent.agentId);
    expect((await registry.goneAgents())[0]).to.deep.include({ agentId: agent.agentId, byOperator: true });
    expect(await registry.agents()).to.deep.equal([]);
    core.stop();
  });

  it('a drain survives a failover: the next leader keeps the agent DRAINING, kills again, offers nothing, then DRAINED', async () => {
    const clock = new FakeClock(T0);
    const registry = new InMemoryRegistry();
    const first = await electedCore(registry, clock, OPTIONS, 1);
    const { agent, fw } = await running(first, clock);
    const agentId = agent.agentId;
    await first.drainAgent(agentId, drain({ maxGracePeriodMs: 2_000 }));
    await first.deactivateAgent(agentId); // keeps the drain
    first.abdicate();

    const second = await electedCore(registry, clock, OPTIONS, 2);
    expect(second.state().recovered_slaves[0]).to.deep.include({ id: agentId, deactivated: true });
    expect(second.state().recovered_slaves[0]?.drain_info?.state).to.equal('DRAINING');
    const fw2 = new FakeFramework(second);
    await fw2.subscribe({ id: { value: fw.frameworkId }, name: 'fw', failoverTimeout: 3600 });
    const back = new FakeAgentConn(second);
    await back.register(
      'cpus:4;mem:4096',
      {
        tasks: [
          {
            frameworkId: { value: fw.frameworkId },
            task: task('t1', agentId, 'cpus:1;mem:128'),
            status: { taskId: { value: 't1' }, state: TaskState.TASK_RUNNING },
          },
        ],
      },
      agentId,
    );
    const kill = back.of(AgentEventType.KILL_TASK)[0];
    expect(kill?.killTask?.killPolicy?.gracePeriodSeconds).to.equal(2);
    expect(kill?.epoch).to.equal(2);
    clock.advance(5_000);
    expect(fw2.of(EventType.OFFERS)).to.have.length(0);
    await back.send(update(fw.frameworkId, 't1', TaskState.TASK_KILLED));
    await settle();
    expect(agentJson(second, agentId)?.drain_info?.state).to.equal('DRAINED');
    second.stop();

    // And DRAINED survives the next failover too.
    const third = await electedCore(registry, clock, OPTIONS, 3);
    expect(third.state().recovered_slaves[0]?.drain_info?.state).to.equal('DRAINED');
    third.stop();
  });
});
