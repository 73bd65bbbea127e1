// An agent cannot claim another agent's identity or tasks (master core on a
// FakeClock, fake streams): with --authenticate_agents an agent ID is bound to
// the principal it was admitted under, also across a failover; and a
// re-registering agent that reports a task the master knows on another agent
// is told to kill its copy while the master keeps its own record.
import { expect } from 'chai';
import {
  AgentCallType,
  AgentEventType,
  EventType,
  FakeClock,
  Resources,
  TaskState,
  type IAgentCall,
  type IFrameworkInfo,
} from '@mesocosm/protocol';
import type { MasterCore } from '../src/core/master-core.js';
import type { MasterOptions } from '../src/options.js';
import { RegistryDataError } from '../src/errors.js';
import { InMemoryRegistry } from '../src/registry/in-memory-registry.js';
import { decodeAgent, encodeAgent } from '../src/registry/records.js';
import type { Registry } from '../src/registry/registry.js';
import { FakeAgentConn, FakeFramework, makeCore } from './helpers/core-harness.js';
import { electedCore, standbyCore } from './helpers/failover.js';
import { acceptCall, task } from './helpers/tasks.js';

const SECRET_A = 'agent-a-secret-4242';
const SECRET_B = 'agent-b-secret-1717';
const AUTH: MasterOptions = {
  authenticateAgents: true,
  credentials: {
    credentials: [
      { principal: 'agent-a', secret: SECRET_A },
      { principal: 'agent-b', secret: SECRET_B },
    ],
  },
};
const DENIED = 'master/authorization/denied/reregister_agents';
const FW: IFrameworkInfo = { name: 'fw', roles: ['*'] };

/** A re-registration of `id` reporting `tasks` (each `[frameworkId, taskId]`). */
async function reregister(conn: FakeAgentConn, id: string, tasks: [string, string][] = []): Promise<void> {
  await conn.register(
    'cpus:4;mem:4096',
    {
      tasks: tasks.map(([frameworkId, taskId]) => ({
        frameworkId: { value: frameworkId },
        task: task(taskId, id),
        status: { taskId: { value: taskId }, state: TaskState.TASK_RUNNING },
      })),
      frameworks: [...new Set(tasks.map(([f]) => f))].map((f) => ({ ...FW, id: { value: f } })),
    },
    id,
  );
}

/** Launches `taskId` on `agentId` from the framework's offer for that agent. */
async function launchOn(core: MasterCore, clock: FakeClock, fw: FakeFramework, agentId: string, taskId: string) {
  clock.advance(0);
  const offer = fw
    .of(EventType.OFFERS)
    .flatMap((e) => e.offers?.offers ?? [])
    .filter((o) => o.agentId?.value === agentId)
    .at(-1);
  expect(offer, `an offer for ${agentId}`).to.not.equal(undefined);
  await fw.call(acceptCall([offer?.id?.value ?? ''], [task(taskId, agentId)], 60));
  const on = core.state().frameworks.flatMap((f) => f.tasks.filter((t) => t.id === taskId));
  expect(on.map((t) => t.slave_id)).to.deep.equal([agentId]);
}

/** Where the master has `taskId`, and in which state. */
function whereIs(core: MasterCore, taskId: string): [string, string][] {
  return core
    .state()
    .frameworks.flatMap((f) =>
      f.tasks.filter((t) => t.id === taskId).map((t): [string, string] => [t.slave_id, t.state]),
    );
}

function errorOf(conn: FakeAgentConn): { code: string; message: string } {
  const e = conn.of(AgentEventType.ERROR).at(-1)?.error;
  return { code: e?.code ?? '', message: e?.message ?? '' };
}

describe('agent identity: IDs bound to principals (--authenticate_agents)', () => {
  it("refuses another principal's re-registration with an agent's ID (PERMISSION_DENIED, counted); the agent keeps its tasks", async () => {
    const { core, clock } = makeCore({ ...AUTH, agentPingIntervalMs: 1000, maxAgentPingTimeouts: 60 });
    const a = new FakeAgentConn(core, 'agent-a');
    await a.register();
    const fw = new FakeFramework(core);
    await fw.subscribe(FW);
    await launchOn(core, clock, fw, a.agentId, 't1');
    await a.send({
      type: AgentCallType.UPDATE,
      update: {
        frameworkId: { value: fw.frameworkId },
        status: { taskId: { value: 't1' }, state: TaskState.TASK_RUNNING },
      },
    });

    // Connected: the other principal is told why, not that the agent is connected.
    const whileConnected = new FakeAgentConn(core, 'agent-b');
    await reregister(whileConnected, a.agentId);
    expect(errorOf(whileConnected).code).to.equal('PERMISSION_DENIED');
    expect(whileConnected.closed).to.equal(true);

    // Away (its stream closed, within the grace period): the takeover the binding stops.
    a.disconnect();
    const updates = fw.of(EventType.UPDATE).length;
    const b = new FakeAgentConn(core, 'agent-b');
    await reregister(b, a.agentId, [[fw.frameworkId, 't1']]);
    expect(b.of(AgentEventType.REGISTERED)).to.have.length(0);
    expect(b.closed).to.equal(true);
    const refused = errorOf(b);
    expect(refused.code).to.equal('PERMISSION_DENIED');
    expect(refused.message).to.match(
      new RegExp(
        `^registration refused: principal 'agent-b' may not register as agent ${a.agentId}: .*` +
          `agent ${a.agentId} was admitted under principal 'agent-a'`,
      ),
    );
    expect(refused.message).to.not.include(SECRET_A).and.not.include(SECRET_B);
    expect(core.metrics()[DENIED]).to.equal(2);
    expect(core.state().slaves.map((s) => [s.id, s.status])).to.deep.equal([[a.agentId, 'disconnected']]);
    expect(whereIs(core, 't1')).to.deep.equal([[a.agentId, 'TASK_RUNNING']]);
    expect(fw.of(EventType.UPDATE)).to.have.length(updates);

    // Its own principal is accepted, its task kept.
    const back = new FakeAgentConn(core, 'agent-a');
    await reregister(back, a.agentId, [[fw.frameworkId, 't1']]);
    expect(back.of(AgentEventType.REGISTERED)).to.have.length(1);
    expect(back.of(AgentEventType.KILL_TASK)).to.have.length(0);
    expect(core.state().slaves.map((s) => [s.id, s.status])).to.deep.equal([[a.agentId, 'connected']]);
    expect(whereIs(core, 't1')).to.deep.equal([[a.agentId, 'TASK_RUNNING']]);
    expect(core.metrics()[DENIED]).to.equal(2);
    core.stop();
  });

  it('checks a REGISTER that names an existing ID too, and binds fresh IDs to their principal', async () => {
    const { core } = makeCore(AUTH);
    const a = new FakeAgentConn(core, 'agent-a');
    await a.register();
    a.disconnect();
    const b = new FakeAgentConn(core, 'agent-b');
    await b.send({
      type: AgentCallType.REGISTER,
      register: {
        agentInfo: {
          id: { value: a.agentId },
          hostname: 'h',
          ip: '127.0.0.1',
          port: 5051,
          resources: Resources.parse('cpus:4;mem:4096').toProto(),
        },
      },
    });
    expect(errorOf(b).code).to.equal('PERMISSION_DENIED');
    // A new agent of agent-b's is its own: agent-b may register as many as it likes.
    const fresh = new FakeAgentConn(core, 'agent-b');
    await fresh.register();
    expect(fresh.agentId).to.not.equal('').and.not.equal(a.agentId);
    core.stop();
  });

  it('checks nothing without --authenticate_agents (a principal presented anyway is not bound)', async () => {
    const { core } = makeCore({ credentials: AUTH.credentials });
    const a = new FakeAgentConn(core, 'agent-a');
    await a.register();
    a.disconnect();
    const b = new FakeAgentConn(core, 'agent-b');
    await reregister(b, a.agentId);
    expect(b.of(AgentEventType.REGISTERED)).to.have.length(1);
    expect(core.metrics()[DENIED]).to.equal(0);
    core.stop();
  });

  it('keeps the binding across a failover, whether or not the new leader has read the agent records yet', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const registry = new InMemoryRegistry();
    const first = await electedCore(registry, clock, AUTH, 2);
    const a = new FakeAgentConn(first, 'agent-a');
    await a.register();
    const id = a.agentId;
    first.stop();
    expect((await registry.agent(id))?.principal).to.equal('agent-a');

    // Elected, records read.
    const second = await electedCore(registry, clock, AUTH, 3);
    const b = new FakeAgentConn(second, 'agent-b');
    await reregister(b, id);
    expect(errorOf(b).code).to.equal('PERMISSION_DENIED');
    expect(second.state().recovered_slaves.map((r) => r.id)).to.deep.equal([id]);
    second.stop();

    // Elected, records not read yet: the binding is read for this one agent.
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow: Registry = Object.assign(Object.create(registry) as InMemoryRegistry, {
      agents: async () => {
        await gate;
        return registry.agents();
      },
    });
    const third = standbyCore(slow, clock, AUTH, 'M4');
    const leading = third.lead(4);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); // serving, records unread
    expect(third.state().recovered_slaves.map((r) => [r.id, r.hostname])).to.deep.equal([[id, '']]);
    const early = new FakeAgentConn(third, 'agent-b');
    await reregister(early, id);
    expect(errorOf(early).code).to.equal('PERMISSION_DENIED');
    expect(errorOf(early).message).to.include("admitted under principal 'agent-a'");
    const owner = new FakeAgentConn(third, 'agent-a');
    await reregister(owner, id);
    expect(owner.of(AgentEventType.REGISTERED)).to.have.length(1);
    open();
    await leading;
    expect(third.metrics()[DENIED]).to.equal(1);
    expect((await registry.agent(id))?.principal).to.equal('agent-a');
    third.stop();
  });

  it('binds a record written without a principal to the first principal that re-registers it', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const registry = new InMemoryRegistry();
    await registry.admitAgent({ id: { value: 'OLD' }, hostname: 'h' }); // before the binding existed
    const core = await electedCore(registry, clock, AUTH, 2);
    const b = new FakeAgentConn(core, 'agent-b');
    await reregister(b, 'OLD');
    expect(b.of(AgentEventType.REGISTERED)).to.have.length(1);
    expect((await registry.agent('OLD'))?.principal).to.equal('agent-b');
    b.disconnect();
    const a = new FakeAgentConn(core, 'agent-a');
    await reregister(a, 'OLD');
    expect(errorOf(a).message).to.include("admitted under principal 'agent-b'");
    core.stop();
  });

  it('lets one of two concurrent registrations of an unbound ID win: the other principal is refused at once', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const registry = new InMemoryRegistry();
    await registry.admitAgent({ id: { value: 'OLD' }, hostname: 'h' });
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: Registry = Object.assign(Object.create(registry) as InMemoryRegistry, {
      admitAgent: async (...args: Parameters<Registry['admitAgent']>) => {
        await gate;
        return registry.admitAgent(...args);
      },
    });
    const core = await electedCore(gated, clock, AUTH, 2);
    const a = new FakeAgentConn(core, 'agent-a');
    const registering = reregister(a, 'OLD');
    await new Promise((r) => setImmediate(r)); // a holds the ID, its registry write waiting
    const b = new FakeAgentConn(core, 'agent-b');
    const refused = reregister(b, 'OLD');
    await new Promise((r) => setImmediate(r));
    expect(errorOf(b).code).to.equal('PERMISSION_DENIED');
    open();
    await Promise.all([registering, refused]);
    expect(a.of(AgentEventType.REGISTERED)).to.have.length(1);
    expect((await registry.agent('OLD'))?.principal).to.equal('agent-a');
    expect(core.ctx.agentClaims.size).to.equal(0);
    core.stop();
  });

  it('records the principal in the registry record, and reads records without one as unbound', () => {
    const info = { id: { value: 'A1' }, hostname: 'h1' };
    expect(decodeAgent('/r/A1', 'A1', encodeAgent(info, 'agent-a'))).to.deep.include({ principal: 'agent-a' });
    expect(decodeAgent('/r/A1', 'A1', encodeAgent(info)).principal).to.equal(undefined);
    expect(JSON.parse(encodeAgent(info))).to.not.have.property('principal');
    const bad = JSON.stringify({ v: 1, info: { id: { value: 'A1' } }, principal: 7 });
    expect(() => decodeAgent('/r/A1', 'A1', bad))
      .to.throw(RegistryDataError)
      .with.property('message')
      .that.matches(/\/r\/A1.*'principal' 7 is not a non-empty string/);
  });
});

describe('agent identity: one task ID in one place', () => {
  async function twoAgents() {
    const { core, clock } = makeCore({ agentPingIntervalMs: 1000, maxAgentPingTimeouts: 60 });
    const a = new FakeAgentConn(core);
    await a.register();
    const b = new FakeAgentConn(core);
    await b.register();
    const fw = new FakeFramework(core);
    await fw.subscribe(FW);
    await launchOn(core, clock, fw, a.agentId, 't1');
    return { core, clock, a, b, fw };
  }

  /** B re-registers reporting t1: it is told to kill it, the master keeps t1 on A, the framework hears nothing. */
  async function expectCopyKilled(
    core: MasterCore,
    fw: FakeFramework,
    bId: string,
    aId: string,
  ): Promise<FakeAgentConn> {
    const updates = fw.of(EventType.UPDATE).length;
    const again = new FakeAgentConn(core);
    await reregister(again, bId, [[fw.frameworkId, 't1']]);
    expect(again.of(AgentEventType.REGISTERED)).to.have.length(1);
    expect(
      again.of(AgentEventType.KILL_TASK).map((e) => [e.killTask?.frameworkId?.value, e.killTask?.taskId?.value]),
    ).to.deep.equal([[fw.frameworkId, 't1']]);
    expect(whereIs(core, 't1')).to.deep.equal([[aId, 'TASK_STAGING']]);
    expect(fw.of(EventType.UPDATE)).to.have.length(updates);
    // The copy's TASK_KILLED is acknowledged here, not forwarded.
    const uuid = new Uint8Array([9, 9, 9, 9]);
    const killed: IAgentCall = {
      type: AgentCallType.UPDATE,
      update: {
        frameworkId: { value: fw.frameworkId },
        status: { taskId: { value: 't1' }, state: TaskState.TASK_KILLED, uuid },
      },
    };
    await again.send(killed);
    expect(fw.of(EventType.UPDATE)).to.have.length(updates);
    expect(again.of(AgentEventType.ACKNOWLEDGE).map((e) => [...(e.acknowledge?.uuid ?? [])])).to.deep.equal([
      [9, 9, 9, 9],
    ]);
    expect(whereIs(core, 't1')).to.deep.equal([[aId, 'TASK_STAGING']]);
    return again;
  }

  it('keeps the task where the master knows it running (agent connected) and kills the copy', async () => {
    const { core, a, b, fw } = await twoAgents();
    b.disconnect();
    await expectCopyKilled(core, fw, b.agentId, a.agentId);
    expect(core.metrics()['master/cpus_used']).to.equal(1);
    core.stop();
  });

  it('keeps it too while its agent is away (disconnected, not yet back), which then comes back with it', async () => {
    const { core, a, b, fw } = await twoAgents();
    a.disconnect();
    b.disconnect();
    await expectCopyKilled(core, fw, b.agentId, a.agentId);
    const back = new FakeAgentConn(core);
    await reregister(back, a.agentId, [[fw.frameworkId, 't1']]);
    expect(back.of(AgentEventType.KILL_TASK)).to.have.length(0);
    expect(whereIs(core, 't1')).to.deep.equal([[a.agentId, 'TASK_STAGING']]);
    core.stop();
  });

  it('after a failover, the first agent to report a task keeps it; a later one with the same task kills its copy', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const registry = new InMemoryRegistry();
    const first = await electedCore(registry, clock, {}, 2);
    const a = new FakeAgentConn(first);
    await a.register();
    const b = new FakeAgentConn(first);
    await b.register();
    first.stop();
    const core = await electedCore(registry, clock, {}, 3);
    const aBack = new FakeAgentConn(core);
    await reregister(aBack, a.agentId, [['F1', 't1']]);
    expect(whereIs(core, 't1')).to.deep.equal([[a.agentId, 'TASK_RUNNING']]);
    aBack.disconnect();
    const bBack = new FakeAgentConn(core);
    await reregister(bBack, b.agentId, [['F1', 't1']]);
    expect(bBack.of(AgentEventType.KILL_TASK).map((e) => e.killTask?.taskId?.value)).to.deep.equal(['t1']);
    expect(whereIs(core, 't1')).to.deep.equal([[a.agentId, 'TASK_RUNNING']]);
    core.stop();
  });
});
