// What a feed connection may see (views/feed-filter.ts), on a core with view
// ACLs and no sockets: the same frameworks, tasks and offers as /master/state
// shows the same viewer; deltas about hidden things only are dropped;
// aggregates pass unchanged; a viewer that sees everything gets the message
// itself.
import { expect } from 'chai';
import { AgentCallType, AgentEventType, Resources, TaskState, type ITaskInfo } from '@mesocosm/protocol';
import { SEE_ALL, type Viewer } from '../../src/auth/viewer.js';
import type { MasterCore } from '../../src/core/master-core.js';
import { visibleMessage } from '../../src/views/feed-filter.js';
import { deltaMessages, snapshotMessage } from '../../src/views/feed-messages.js';
import type { FeedMessage } from '../../src/views/feed-types.js';
import { masterState } from '../../src/views/state-json.js';
import { FakeAgentConn, FakeFramework, makeCore } from '../helpers/core-harness.js';
import { task } from '../helpers/tasks.js';

type Of<T extends FeedMessage['type']> = Extract<FeedMessage, { type: T }>;

const ANY = { type: 'ANY' };
const ACLS = {
  permissive: false,
  register_frameworks: [{ principals: ANY, roles: ANY }],
  run_tasks: [{ principals: ANY, users: ANY }],
  teardown_frameworks: [{ principals: { values: ['ops'] }, framework_principals: ANY }],
  // ops sees everything; alice her own frameworks; carol what runs as www.
  view_frameworks: [
    { principals: { values: ['ops'] }, framework_principals: ANY },
    { principals: { values: ['alice'] }, framework_principals: { values: ['alice'] } },
    { principals: { values: ['carol'] }, users: { values: ['www'] } },
  ],
  view_tasks: [
    { principals: { values: ['ops'] }, framework_principals: ANY },
    { principals: { values: ['alice'] }, framework_principals: { values: ['alice'] } },
    { principals: { values: ['carol'] }, users: { values: ['www'] } },
  ],
  view_sandboxes: [{ principals: { values: ['ops'] }, framework_principals: ANY }],
};

/** A task of `fw` on agent `agentId`, running as `user` when given. */
function taskAs(id: string, agentId: string, user?: string): ITaskInfo {
  const t = task(id, agentId, 'cpus:0.1;mem:32');
  return user === undefined ? t : { ...t, command: { ...t.command, user } };
}

/**
 * Frameworks A (principal alice, user www: tasks a1, and a2 as root) and B
 * (principal bob, user batch: task b1) on agent A1; offers outstanding on A2
 * and A3; framework C (principal alice) torn down.
 */
async function cluster(): Promise<{ core: MasterCore; a: FakeFramework; b: FakeFramework; c: FakeFramework }> {
  const { core, clock } = makeCore({ acls: ACLS });
  const a = new FakeFramework(core);
  await a.subscribe({ name: 'fw-a', user: 'www', principal: 'alice' });
  const b = new FakeFramework(core);
  await b.subscribe({ name: 'fw-b', user: 'batch', principal: 'bob' });
  const c = new FakeFramework(core);
  await c.subscribe({ name: 'fw-c', user: 'www', principal: 'alice' });
  const running = (fw: FakeFramework, t: ITaskInfo) => ({
    frameworkId: { value: fw.frameworkId },
    task: t,
    status: { taskId: t.taskId, state: TaskState.TASK_RUNNING },
  });
  const conn = new FakeAgentConn(core);
  await conn.send({
    type: AgentCallType.REREGISTER,
    agentId: { value: 'A1' },
    register: {
      agentInfo: {
        id: { value: 'A1' },
        hostname: 'h1',
        ip: '127.0.0.1',
        port: 5051,
        resources: Resources.parse('cpus:1;mem:256').toProto(),
      },
      tasks: [running(a, taskAs('a1', 'A1')), running(a, taskAs('a2', 'A1', 'root')), running(b, taskAs('b1', 'A1'))],
    },
  });
  expect(conn.of(AgentEventType.REGISTERED)).to.have.length(1);
  await new FakeAgentConn(core).register('cpus:2;mem:1024');
  await new FakeAgentConn(core).register('cpus:2;mem:1024');
  core.teardown(c.frameworkId, 'ops');
  clock.advance(0);
  return { core, a, b, c };
}

/** The frameworks, tasks and offers /master/state shows `viewer`. */
function stateIds(core: MasterCore, viewer: Viewer): { frameworks: string[]; tasks: string[]; offers: string[] } {
  const state = masterState(core.ctx, viewer);
  const all = [...state.frameworks, ...state.completed_frameworks];
  return {
    frameworks: state.frameworks.map((f) => f.id).sort(),
    tasks: all.flatMap((f) => [...f.tasks, ...f.completed_tasks].map((t) => t.id)).sort(),
    offers: state.offers.map((o) => o.id).sort(),
  };
}

/** Every task as a TASKS delta, every framework as a FRAMEWORKS delta, the offers as OFFERS. */
function everyDelta(core: MasterCore): FeedMessage[] {
  const ctx = core.ctx;
  const tasks = new Set(
    [...ctx.frameworks.values()].flatMap((f) => [...f.tasks.values(), ...f.completedTasks.values()]),
  );
  const frameworks = new Set([...ctx.frameworks.keys(), ...ctx.completedFrameworks.keys()]);
  return deltaMessages(ctx, { tasks, frameworks, agents: new Set(ctx.agents.keys()), offers: true });
}

function take<T extends FeedMessage['type']>(messages: (FeedMessage | undefined)[], type: T): Of<T> | undefined {
  return messages.find((m): m is Of<T> => m?.type === type);
}

describe('feed filter (view ACLs per connection)', () => {
  it('shows each viewer the frameworks, tasks and offers /master/state shows it', async () => {
    const { core, a, b, c } = await cluster();
    const seen: Record<string, { frameworks: string[]; tasks: string[] }> = {};
    for (const principal of ['ops', 'alice', 'carol', 'bob', undefined]) {
      const viewer = core.viewer(principal);
      const expected = stateIds(core, viewer);
      const snapshot = visibleMessage(core.ctx, snapshotMessage(core.ctx, []), viewer);
      if (snapshot?.type !== 'SNAPSHOT') throw new Error('no snapshot');
      expect(snapshot.frameworks.map((f) => f.id).sort(), `${principal} snapshot frameworks`).to.deep.equal(
        expected.frameworks,
      );
      expect(snapshot.offers.map((o) => o.id).sort(), `${principal} snapshot offers`).to.deep.equal(expected.offers);

      const deltas = everyDelta(core).map((m) => visibleMessage(core.ctx, m, viewer));
      const tasks = take(deltas, 'TASKS')?.upserted.map((t) => t.id) ?? [];
      expect(tasks.sort(), `${principal} tasks`).to.deep.equal(expected.tasks);
      const offers = take(deltas, 'OFFERS')?.offers.map((o) => o.id) ?? [];
      expect(offers.sort(), `${principal} offers`).to.deep.equal(expected.offers);
      const fws = take(deltas, 'FRAMEWORKS');
      seen[principal ?? 'anonymous'] = { frameworks: (fws?.upserted.map((f) => f.id) ?? []).sort(), tasks };
      // The torn-down framework is removed for whoever may see it.
      expect(fws?.removed ?? [], `${principal} removed`).to.deep.equal(
        principal === 'ops' || principal === 'alice' || principal === 'carol' ? [c.frameworkId] : [],
      );
    }
    // The fixture does tell the viewers apart.
    expect(seen['ops']).to.deep.equal({ frameworks: [a.frameworkId, b.frameworkId].sort(), tasks: ['a1', 'a2', 'b1'] });
    expect(seen['alice']).to.deep.equal({ frameworks: [a.frameworkId], tasks: ['a1', 'a2'] });
    expect(seen['carol']).to.deep.equal({ frameworks: [a.frameworkId], tasks: ['a1'] });
    expect(seen['bob']).to.deep.equal({ frameworks: [], tasks: [] });
    expect(seen['anonymous']).to.deep.equal({ frameworks: [], tasks: [] });
    // Offers go to both A and B: alice sees some of them, not all.
    const offers = (p: string): number => stateIds(core, core.viewer(p)).offers.length;
    expect(offers('alice'), 'offers alice sees').to.be.greaterThan(0);
    expect(offers('ops'), 'offers outstanding').to.be.greaterThan(offers('alice'));
  });

  it('drops a delta that is only about hidden frameworks or tasks', async () => {
    const { core, b } = await cluster();
    const ctx = core.ctx;
    const fwB = ctx.frameworks.get(b.frameworkId);
    const b1 = fwB?.tasks.get('b1');
    if (!fwB || !b1) throw new Error('fixture: no b1');
    const deltas = deltaMessages(ctx, {
      tasks: new Set([b1]),
      frameworks: new Set([b.frameworkId]),
      agents: new Set(),
      offers: false,
    });
    expect(deltas.map((m) => m.type)).to.deep.equal(['FRAMEWORKS', 'TASKS']);
    for (const principal of ['alice', 'carol', undefined]) {
      expect(
        deltas.map((m) => visibleMessage(ctx, m, core.viewer(principal))),
        String(principal),
      ).to.deep.equal([undefined, undefined]);
    }
    expect(deltas.map((m) => visibleMessage(ctx, m, core.viewer('ops')))).to.deep.equal(deltas);
  });

  it('passes aggregates unchanged, and every message itself to a viewer that sees everything', async () => {
    const { core } = await cluster();
    const ctx = core.ctx;
    const aggregates: FeedMessage[] = [
      { type: 'SAMPLE', sample: { time: 1, cpus: 0.5, mem: 0.25, disk: 0, gpus: 0 } },
      { type: 'LEADER', leader_url: '', masters: [] },
      ...deltaMessages(ctx, {
        tasks: new Set(),
        frameworks: new Set(),
        agents: new Set(ctx.agents.keys()),
        offers: false,
      }),
    ];
    expect(aggregates.map((m) => m.type)).to.deep.equal(['SAMPLE', 'LEADER', 'AGENTS']);
    for (const m of aggregates) expect(visibleMessage(ctx, m, core.viewer('bob'))).to.equal(m);
    expect(core.viewer('ops').all, 'ops sees everything').to.equal(true);
    for (const m of [snapshotMessage(ctx, []), ...everyDelta(core)]) {
      expect(visibleMessage(ctx, m, core.viewer('ops'))).to.equal(m);
      expect(visibleMessage(ctx, m, SEE_ALL)).to.equal(m);
    }
  });

  it('leaves out a task row whose task or framework is no longer known', async () => {
    const { core, a } = await cluster();
    const ctx = core.ctx;
    const [tasks] = deltaMessages(ctx, {
      tasks: new Set([...(ctx.frameworks.get(a.frameworkId)?.tasks.values() ?? [])]),
      frameworks: new Set(),
      agents: new Set(),
      offers: false,
    });
    if (tasks?.type !== 'TASKS') throw new Error('no TASKS');
    const ghost = { ...tasks.upserted[0]!, id: 'ghost' };
    const orphan = { ...tasks.upserted[0]!, framework_id: 'no-such-framework' };
    const shown = visibleMessage(
      ctx,
      { type: 'TASKS', upserted: [...tasks.upserted, ghost, orphan] },
      core.viewer('alice'),
    );
    expect(shown?.type === 'TASKS' && shown.upserted.map((t) => t.id).sort()).to.deep.equal(['a1', 'a2']);
  });
});
