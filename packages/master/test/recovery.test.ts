// A newly elected core recovers from the registry (FakeClock, fake connections):
// agents re-register in time or become gone, frameworks re-subscribe in time or are torn down.
import { expect } from 'chai';
import {
  AgentEventType,
  CallType,
  EventType,
  FakeClock,
  FrameworkCapability,
  TaskState,
  TaskStatusReason,
  type IFrameworkInfo,
} from '@mesocosm/protocol';
import { AGENT_REMOVED } from '../src/core/gone-agents.js';
import { RecoveringError } from '../src/errors.js';
import { InMemoryRegistry } from '../src/registry/in-memory-registry.js';
import type { Registry } from '../src/registry/registry.js';
import { FakeAgentConn, FakeFramework } from './helpers/core-harness.js';
import { electedCore, recoveredAgentInfo, standbyCore } from './helpers/failover.js';
import { task } from './helpers/tasks.js';

const T0 = 1_700_000_000_000;
const REREGISTER_MS = 60_000;
const agentInfo = recoveredAgentInfo;
const PA: IFrameworkInfo = {
  id: { value: 'F1' },
  name: 'pa',
  failoverTimeout: 3600,
  capabilities: [FrameworkCapability.PARTITION_AWARE],
};
const PLAIN: IFrameworkInfo = { id: { value: 'F2' }, name: 'plain', failoverTimeout: 3600 };

async function filledRegistry(): Promise<InMemoryRegistry> {
  const registry = new InMemoryRegistry();
  await registry.admitAgent(agentInfo('A1'));
  await registry.admitAgent(agentInfo('A2'));
  await registry.putFramework(PA);
  await registry.putFramework(PLAIN);
  return registry;
}

/** A task `taskId` of `frameworkId` as an agent reports it on REREGISTER. */
const reported = (frameworkId: string, taskId: string, agentId: string) => ({
  frameworkId: { value: frameworkId },
  task: task(taskId, agentId),
  status: { taskId: { value: taskId }, state: TaskState.TASK_RUNNING, agentId: { value: agentId } },
});

const reconcileCall = (taskId: string, agentId: string) => ({
  type: CallType.RECONCILE,
  reconcile: { tasks: [{ taskId: { value: taskId }, agentId: { value: agentId } }] },
});

const updatesFor = (fw: FakeFramework, taskId: string) =>
  fw.of(EventType.UPDATE).filter((e) => e.update?.status?.taskId?.value === taskId);

describe('registry recovery after an election (FakeClock)', () => {
  it('recovered agents wait (no offers, no tasks); one that re-registers in time comes back with its tasks', async () => {
    const clock = new FakeClock(T0);
    const registry = await filledRegistry();
    const core = await electedCore(registry, clock, { agentReregisterTimeoutMs: REREGISTER_MS });
    const state = core.state();
    expect(state.recovering).to.equal(false);
    expect(state.slaves).to.have.length(0);
    expect(state.recovered_slaves.map((a) => a.id)).to.deep.equal(['A1', 'A2']);
    expect(state.frameworks.map((f) => [f.id, f.active, f.connected])).to.deep.equal([
      ['F1', false, false],
      ['F2', false, false],
    ]);

    const fw = new FakeFramework(core);
    await fw.subscribe(PA);
    expect(fw.frameworkId).to.equal('F1'); // kept its ID
    // Reconciliation of a task on a recovering agent is not answered yet.
    await fw.call(reconcileCall('t1', 'A1'));
    clock.advance(0);
    expect(updatesFor(fw, 't1')).to.have.length(0);
    expect(fw.of(EventType.OFFERS)).to.have.length(0); // no agent is registered yet

    clock.advance(REREGISTER_MS - 1);
    const a1 = new FakeAgentConn(core);
    await a1.register('cpus:4;mem:4096', { tasks: [reported('F1', 't1', 'A1')], frameworks: [PA] }, 'A1');
    expect(a1.agentId).to.equal('A1');
    expect(a1.events.every((e) => e.epoch === 2)).to.equal(true);
    const answer = updatesFor(fw, 't1');
    expect(answer.map((e) => e.update?.status?.state)).to.deep.equal([TaskState.TASK_RUNNING]);
    expect(
      core
        .state()
        .frameworks.find((f) => f.id === 'F1')
        ?.tasks.map((t) => t.id),
    ).to.deep.equal(['t1']);
    clock.advance(0);
    expect(fw.of(EventType.OFFERS)).to.have.length(1); // the rest of A1 (cpus:3)
    expect(fw.events.every((e) => e.epoch === 2)).to.equal(true);

    clock.advance(1); // A2's timeout: A1 stays
    expect(core.state().slaves.map((a) => a.id)).to.deep.equal(['A1']);
    expect(core.state().recovered_slaves).to.have.length(0);
    expect((await registry.agents()).map((a) => a.info.id?.value)).to.deep.equal(['A1']);
    core.stop();
  });

  it('a reconciliation that arrives while a recovered agent re-registers waits for it (no TASK_UNKNOWN)', async () => {
    // The re-registration writes the registry first; during that write the agent must still
    // count as recovering. (Found by the fault suite: answers said the agent was unknown.)
    const clock = new FakeClock(T0);
    const registry = await filledRegistry();
    let openGate = (): void => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const gated: Registry = Object.assign(Object.create(registry) as InMemoryRegistry, {
      admitAgent: async (info: Parameters<Registry['admitAgent']>[0]) => {
        await gate;
        return registry.admitAgent(info);
      },
    });
    const core = await electedCore(gated, clock, { agentReregisterTimeoutMs: REREGISTER_MS });
    const fw = new FakeFramework(core);
    await fw.subscribe(PA);
    const a1 = new FakeAgentConn(core);
    const registering = a1.register('cpus:4;mem:4096', { tasks: [reported('F1', 't1', 'A1')], frameworks: [PA] }, 'A1');
    await Promise.resolve();
    await fw.call(reconcileCall('t1', 'A1'));
    expect(updatesFor(fw, 't1'), 'no answer while A1 re-registers').to.have.length(0);
    openGate();
    await registering;
    expect(updatesFor(fw, 't1').map((e) => e.update?.status?.state)).to.deep.equal([TaskState.TASK_RUNNING]);
    core.stop();
  });

  it('an agent that never returns is gone after agent_reregister_timeout: FAILURE, registry, GONE/LOST, refused later', async () => {
    const clock = new FakeClock(T0);
    const registry = await filledRegistry();
    const core = await electedCore(registry, clock, { agentReregisterTimeoutMs: REREGISTER_MS });
    const pa = new FakeFramework(core);
    await pa.subscribe(PA);
    const plain = new FakeFramework(core);
    await plain.subscribe(PLAIN);
    await pa.call(reconcileCall('early', 'A2')); // waits for A2
    const a1 = new FakeAgentConn(core);
    await a1.register('cpus:4;mem:4096', {}, 'A1');

    clock.advance(REREGISTER_MS - 1);
    expect(updatesFor(pa, 'early')).to.have.length(0);
    expect(pa.of(EventType.FAILURE)).to.have.length(0);
    clock.advance(1);

    // Frameworks are told, the registry forgets it, and the waiting reconciliation is answered.
    for (const fw of [pa, plain]) {
      expect(fw.of(EventType.FAILURE).map((e) => e.failure?.agentId?.value)).to.deep.equal(['A2']);
    }
    const early = updatesFor(pa, 'early')[0]?.update?.status;
    expect(early?.state).to.equal(TaskState.TASK_GONE);
    expect(early?.reason).to.equal(TaskStatusReason.REASON_AGENT_REMOVED);
    await Promise.resolve();
    expect((await registry.agents()).map((a) => a.info.id?.value)).to.deep.equal(['A1']);
    expect((await registry.goneAgents()).map((g) => g.agentId)).to.deep.equal(['A2']);

    await pa.call(reconcileCall('late', 'A2'));
    await plain.call(reconcileCall('late', 'A2'));
    expect(updatesFor(pa, 'late')[0]?.update?.status?.state).to.equal(TaskState.TASK_GONE);
    expect(updatesFor(plain, 'late')[0]?.update?.status).to.include({
      state: TaskState.TASK_LOST,
      reason: TaskStatusReason.REASON_AGENT_REMOVED,
    });

    // It comes back too late: told to shut its frameworks down and register afresh.
    const a2 = new FakeAgentConn(core);
    await a2.register('cpus:4;mem:4096', { tasks: [reported('F1', 'late', 'A2')] }, 'A2');
    expect(a2.agentId).to.equal('');
    expect(a2.of(AgentEventType.SHUTDOWN_FRAMEWORK)[0]?.shutdownFramework?.frameworkId?.value).to.equal('F1');
    expect(a2.of(AgentEventType.ERROR)[0]?.error?.code).to.equal(AGENT_REMOVED);
    expect(a2.closed).to.equal(true);
    expect(core.state().slaves.map((a) => a.id)).to.deep.equal(['A1']);
    core.stop();
  });

  it('a framework that re-subscribes in time keeps its ID and tasks; one that does not is torn down', async () => {
    const clock = new FakeClock(T0);
    const registry = new InMemoryRegistry();
    await registry.admitAgent(agentInfo('A1'));
    await registry.admitAgent(agentInfo('A2'));
    await registry.putFramework({ id: { value: 'STAY' }, name: 'stay', failoverTimeout: 120 });
    await registry.putFramework({ id: { value: 'GO' }, name: 'go', failoverTimeout: 120 });
    // Pings every hour: the fake agents do not answer them.
    const core = await electedCore(registry, clock, {
      agentReregisterTimeoutMs: REREGISTER_MS,
      agentPingIntervalMs: 3_600_000,
    });
    const a1 = new FakeAgentConn(core);
    await a1.register('cpus:4;mem:4096', { tasks: [reported('STAY', 's1', 'A1'), reported('GO', 'g1', 'A1')] }, 'A1');
    const stay = new FakeFramework(core);
    clock.advance(119_000);
    await stay.subscribe({ id: { value: 'STAY' }, name: 'stay', failoverTimeout: 120 });
    expect(stay.frameworkId).to.equal('STAY');
    expect(a1.of(AgentEventType.KILL_TASK)).to.have.length(0);

    clock.advance(1_000); // 120 s after the election
    const kills = a1.of(AgentEventType.KILL_TASK).map((e) => e.killTask?.taskId?.value);
    expect(kills).to.deep.equal(['g1']);
    expect(a1.of(AgentEventType.SHUTDOWN_FRAMEWORK)[0]?.shutdownFramework?.frameworkId?.value).to.equal('GO');
    expect(core.state().frameworks.map((f) => f.id)).to.deep.equal(['STAY']);
    expect(core.state().frameworks[0]?.tasks.map((t) => t.id)).to.deep.equal(['s1']);
    await Promise.resolve();
    expect((await registry.frameworks()).map((f) => f.id?.value)).to.deep.equal(['STAY']);

    // A2 was gone at 60 s; an agent that re-registers now with GO's task is told to shut GO down.
    const a3 = new FakeAgentConn(core);
    await a3.register('cpus:4;mem:4096', { tasks: [reported('GO', 'g2', 'A3')] }, 'A3');
    expect(a3.agentId).to.equal('A3');
    expect(a3.of(AgentEventType.SHUTDOWN_FRAMEWORK)[0]?.shutdownFramework?.frameworkId?.value).to.equal('GO');
    core.stop();
  });

  it('gives frameworks at least agent_reregister_timeout, even with failover_timeout 0', async () => {
    const clock = new FakeClock(T0);
    const registry = new InMemoryRegistry();
    await registry.putFramework({ id: { value: 'Z' }, name: 'zero' });
    const core = await electedCore(registry, clock, { agentReregisterTimeoutMs: REREGISTER_MS });
    clock.advance(REREGISTER_MS - 1);
    expect(core.state().frameworks.map((f) => f.id)).to.deep.equal(['Z']);
    clock.advance(1);
    expect(core.state().frameworks).to.have.length(0);
    core.stop();
  });

  it('streams opened while the registry loads wait; operator calls get a retryable error', async () => {
    const clock = new FakeClock(T0);
    const inner = await filledRegistry();
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow: Registry = Object.assign(Object.create(inner) as InMemoryRegistry, {
      agents: async () => {
        await gate;
        return inner.agents();
      },
    });
    const core = standbyCore(slow, clock, { agentReregisterTimeoutMs: REREGISTER_MS });
    const leading = core.lead(5);
    expect(core.leading).to.equal(true);
    expect(core.recovering).to.equal(true);
    expect(core.state().recovering).to.equal(true);
    const fw = new FakeFramework(core);
    const subscribing = fw.send({ type: CallType.SUBSCRIBE, subscribe: { frameworkInfo: PA } });
    let err: unknown;
    await core
      .drainAgent('A1', { maxGracePeriodMs: undefined, markGone: false, leaveTasksRunning: false })
      .catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(RecoveringError);
    expect(fw.events).to.have.length(0);
    open();
    await leading;
    await subscribing;
    expect(fw.of(EventType.SUBSCRIBED)[0]?.subscribed?.frameworkId?.value).to.equal('F1');
    expect(fw.events[0]?.epoch).to.equal(5);
    core.stop();
  });

  it('a registry that cannot be read makes the election fail: waiting streams are refused NOT_LEADER', async () => {
    const clock = new FakeClock(T0);
    const inner = new InMemoryRegistry();
    const broken: Registry = Object.assign(Object.create(inner) as InMemoryRegistry, {
      frameworks: async () => Promise.reject(new Error('registry znode /x/registry/frameworks/F holds bad data')),
    });
    const core = standbyCore(broken, clock);
    const leading = core.lead(3);
    const fw = new FakeFramework(core);
    const subscribing = fw.send({ type: CallType.SUBSCRIBE, subscribe: { frameworkInfo: PA } });
    let err: unknown;
    await leading.catch((e: unknown) => (err = e));
    expect(String(err)).to.match(/bad data/);
    await subscribing;
    expect(core.leading).to.equal(false);
    expect(fw.of(EventType.ERROR)[0]?.error?.code).to.equal('NOT_LEADER');
    expect(fw.closed).to.equal(true);
  });
});
