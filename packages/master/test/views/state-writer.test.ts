// The /master/state writer (views/state-writer.ts) against the object builder
// it replaces on the wire (views/state-json.ts): the same bytes for a master
// with every part of the document, for a viewer who sees everything and for
// one who does not; its chunks; and GET /master/state streamed over HTTP.
import { expect } from 'chai';
import { request } from 'node:http';
import {
  AgentCallType,
  AgentEventType,
  FakeClock,
  FrameworkCapability,
  Resources,
  TaskState,
  type IAttribute,
  type ITaskStatus,
} from '@mesocosm/protocol';
import type { Viewer } from '../../src/auth/viewer.js';
import type { MasterCore } from '../../src/core/master-core.js';
import { InMemoryRegistry } from '../../src/registry/in-memory-registry.js';
import { startHttpServer, stopHttpServer } from '../../src/server/http.js';
import { masterState } from '../../src/views/state-json.js';
import { stateChunks, stateText } from '../../src/views/state-writer.js';
import { FakeAgentConn, FakeFramework, makeCore } from '../helpers/core-harness.js';
import { electedCore } from '../helpers/failover.js';
import { task } from '../helpers/tasks.js';

interface Reported {
  fw: FakeFramework;
  id: string;
  name?: string;
  resources?: string;
}

/** An agent (re-)registering with `id` and running `tasks`, each reported TASK_RUNNING. */
async function agentWith(
  core: MasterCore,
  id: string,
  tasks: Reported[],
  extra: { hostname?: string; attributes?: IAttribute[]; resources?: string } = {},
): Promise<FakeAgentConn> {
  const conn = new FakeAgentConn(core);
  await conn.send({
    type: AgentCallType.REREGISTER,
    agentId: { value: id },
    register: {
      agentInfo: {
        id: { value: id },
        hostname: extra.hostname ?? id,
        ip: '127.0.0.1',
        port: 5051,
        resources: Resources.parse(extra.resources ?? 'cpus:64;mem:65536;ports:[31000-31010]').toProto(),
        attributes: extra.attributes ?? [],
      },
      tasks: tasks.map((t) => ({
        frameworkId: { value: t.fw.frameworkId },
        task: { ...task(t.id, id, t.resources ?? 'cpus:0.1;mem:32'), name: t.name ?? t.id },
        status: { taskId: { value: t.id }, state: TaskState.TASK_RUNNING, timestamp: 1_700_000_000.25 },
      })),
    },
  });
  conn.agentId = id;
  expect(conn.of(AgentEventType.REGISTERED), `agent ${id} registered`).to.have.length(1);
  return conn;
}

async function update(conn: FakeAgentConn, fw: FakeFramework, status: ITaskStatus): Promise<void> {
  await conn.send({ type: AgentCallType.UPDATE, update: { frameworkId: { value: fw.frameworkId }, status } });
}

/** Every part of the document: agents in each status and in maintenance, recovered agents, live,
 * completed and unreachable tasks, statuses with uuids, health and text to escape, offers, a
 * completed framework, names and attributes that need escaping. */
async function busyMaster(): Promise<{ core: MasterCore; clock: FakeClock; frameworks: FakeFramework[] }> {
  const clock = new FakeClock(1_700_000_000_000);
  const registry = new InMemoryRegistry();
  await registry.admitAgent({
    id: { value: 'R1' },
    hostname: 'recovered "one"',
    port: 5051,
    resources: Resources.parse('cpus:2;mem:512').toProto(),
  });
  await registry.putDrain({
    agentId: 'R1',
    deactivated: true,
    drain: { state: 'DRAINING', config: { maxGracePeriodMs: 1500, markGone: false, leaveTasksRunning: true } },
  });
  await registry.admitAgent({ id: { value: 'R2' }, hostname: 'recovered-two', port: 5052 });
  const core = await electedCore(registry, clock, { agentPingIntervalMs: 1000, maxAgentPingTimeouts: 3 });

  const aware = new FakeFramework(core);
  await aware.subscribe({
    name: 'web "frontend"\n\u00e9',
    user: 'www',
    principal: 'p"1',
    roles: ['web'],
    capabilities: [FrameworkCapability.PARTITION_AWARE],
  });
  const plain = new FakeFramework(core);
  await plain.subscribe({ name: 'batch', user: 'root' });
  const leaving = new FakeFramework(core);
  await leaving.subscribe({ name: 'leaving' });

  const up = await agentWith(
    core,
    'A1',
    [
      { fw: aware, id: 't1', name: 'web \\ "one" \u0001' },
      { fw: plain, id: 't2', name: 'secret-job' },
      { fw: plain, id: 't3' },
      { fw: leaving, id: 't6' },
    ],
    {
      hostname: 'h"1',
      attributes: [
        { name: 'zone', type: 3, text: { value: 'a "b"' } },
        { name: 'rack', type: 0, scalar: { value: 2.5 } },
      ],
    },
  );
  await update(up, aware, {
    taskId: { value: 't1' },
    state: TaskState.TASK_RUNNING,
    source: 1,
    reason: 8,
    message: 'ok "quoted" \n \u0007 \u00e9 \ud800 end',
    uuid: new Uint8Array([0, 1, 2, 254, 255, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176]),
    hasHealthy: true,
    healthy: true,
    timestamp: 1_700_000_001.125,
  });
  await update(up, plain, {
    taskId: { value: 't3' },
    state: TaskState.TASK_FINISHED,
    uuid: new Uint8Array([9, 9, 9, 9]),
    timestamp: 1_700_000_002,
  });
  const bulk: Reported[] = Array.from({ length: 200 }, (_, i) => ({ fw: plain, id: `bulk-${i}` }));
  const live = [up, await agentWith(core, 'A-bulk', bulk)];

  // A3 goes unreachable (its partition-aware task with it), A2 is disconnected, A4 deactivated, A5 draining.
  const cut = await agentWith(core, 'A3', [{ fw: aware, id: 't5' }]);
  const away = await agentWith(core, 'A2', [{ fw: aware, id: 't4' }]);
  live.push(away, await agentWith(core, 'A4', []));
  live.push(await agentWith(core, 'A5', [], { resources: 'cpus:4;mem:4096;disk:100' }));
  cut.disconnect();
  for (let i = 0; i < 4; i++) {
    clock.advance(1000); // a PING to each connected agent, which answers it
    for (const conn of live) await conn.send({ type: AgentCallType.HEARTBEAT });
  }
  expect(core.ctx.agents.get('A3')?.status).to.equal('unreachable');
  away.disconnect();
  await core.deactivateAgent('A4');
  await core.drainAgent('A5', { maxGracePeriodMs: 2500, markGone: false, leaveTasksRunning: true });

  // Offers outstanding, and a framework torn down (its task killed on the agent).
  clock.advance(0);
  core.teardown(leaving.frameworkId);
  await update(up, leaving, { taskId: { value: 't6' }, state: TaskState.TASK_KILLED, timestamp: 1_700_000_003 });
  return { core, clock, frameworks: [aware, plain, leaving] };
}

/** Sees frameworks not named 'leaving', and tasks not named secret-*. */
const partial: Viewer = {
  all: false,
  framework: (info) => info.name !== 'leaving',
  task: (_fw, t) => !(t.name ?? '').startsWith('secret'),
  sandbox: () => true,
};

describe('/master/state writer', function () {
  this.timeout(20_000);

  it('writes the same bytes as JSON.stringify of the object builder, for every part of the document', async () => {
    const { core } = await busyMaster();
    const state = masterState(core.ctx);
    // The fixture has what it claims to have.
    expect(state.slaves.map((a) => a.status).sort()).to.include.members(['connected', 'disconnected', 'unreachable']);
    expect(state.slaves.filter((a) => a.drain_info || a.deactivated)).to.have.length(2);
    expect(state.recovered_slaves.map((r) => r.id)).to.deep.equal(['R1', 'R2']);
    const web = state.frameworks.find((f) => f.user === 'www');
    expect(web?.unreachable_tasks.map((t) => t.id)).to.deep.equal(['t5']);
    expect(web?.tasks.find((t) => t.id === 't1')?.statuses.at(-1)).to.include({ healthy: true });
    expect(state.frameworks.find((f) => f.name === 'batch')?.completed_tasks.map((t) => t.id)).to.deep.equal(['t3']);
    expect(state.completed_frameworks.map((f) => f.name)).to.deep.equal(['leaving']);
    expect(state.offers.length).to.be.greaterThan(0);

    const text = stateText(core.ctx);
    expect(text).to.equal(JSON.stringify(state));
    expect(JSON.parse(text)).to.deep.equal(state);
    expect([...stateChunks(core.ctx)].length, 'chunks').to.be.greaterThan(1);
  });

  it('leaves out what a viewer may not see, as the object builder does', async () => {
    const { core } = await busyMaster();
    const state = masterState(core.ctx, partial);
    expect(state.completed_frameworks).to.deep.equal([]);
    expect(state.frameworks.flatMap((f) => f.tasks.map((t) => t.name))).to.not.include('secret-job');
    const text = stateText(core.ctx, partial);
    expect(text).to.equal(JSON.stringify(state));
    expect(JSON.parse(text)).to.deep.equal(state);
  });

  it('takes its lists at the first chunk: what changes while it writes leaves the document whole', async () => {
    const { core, frameworks } = await busyMaster();
    const before = masterState(core.ctx);
    const chunks = stateChunks(core.ctx);
    const first = chunks.next();
    expect(first.done).to.equal(false);
    // The framework goes and an agent is removed between two chunks.
    core.teardown(frameworks[0]?.frameworkId ?? '');
    core.ctx.agents.delete('A4');
    const doc = JSON.parse([first.value as string, ...chunks].join('')) as typeof before;
    expect(doc.slaves.map((a) => a.id)).to.deep.equal(before.slaves.map((a) => a.id));
    expect(doc.frameworks.map((f) => f.id)).to.deep.equal(before.frameworks.map((f) => f.id));
    expect(masterState(core.ctx).frameworks.map((f) => f.id)).to.not.deep.equal(doc.frameworks.map((f) => f.id));
  });

  it('streams GET /master/state (chunked, paused while the client is slow) and answers HEAD without a body', async () => {
    // About 3 MiB of JSON: more than the writer lets wait in the socket's buffer.
    const { core } = makeCore();
    const fw = new FakeFramework(core);
    await fw.subscribe({ name: 'many' });
    for (let a = 0; a < 60; a++)
      await agentWith(
        core,
        `S${a}`,
        Array.from({ length: 120 }, (_, i) => ({ fw, id: `task-${a}-${i}` })),
      );
    const edge = await startHttpServer(core, '127.0.0.1', 0);
    try {
      const url = `http://127.0.0.1:${edge.port}/master/state`;
      // A client that takes its time: it reads a chunk at a time, each after the previous one is handled.
      const body = await new Promise<{ text: string; headers: Record<string, unknown> }>((resolve, reject) => {
        request(url, (res) => {
          const parts: Buffer[] = [];
          let ended = false;
          res.on('end', () => {
            ended = true;
            resolve({ text: Buffer.concat(parts).toString('utf8'), headers: res.headers });
          });
          res.on('error', reject);
          const readSlowly = (): void => {
            if (ended) return;
            const chunk = res.read() as Buffer | null;
            if (chunk) parts.push(chunk);
            setImmediate(readSlowly);
          };
          readSlowly();
        })
          .on('error', reject)
          .end();
      });
      expect(body.headers['content-type']).to.equal('application/json');
      expect(body.headers['transfer-encoding']).to.equal('chunked');
      expect(body.text.length).to.be.greaterThan(2 * 1024 * 1024);
      expect(body.text).to.equal(JSON.stringify(core.state()));

      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status).to.equal(200);
      expect(await head.text()).to.equal('');
    } finally {
      await stopHttpServer(edge);
    }
  });
});
