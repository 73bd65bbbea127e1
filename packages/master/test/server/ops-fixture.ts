// A real master with two fake agents and a raw scheduler that launches
// tasks on them, for the operator endpoint and feed tests.
import {
  AgentCallType,
  EventType,
  newUpdateUuid,
  silentLogger,
  TaskState,
  type IAttribute,
  type IOffer,
} from '@mesocosm/protocol';
import { Master } from '../../src/index.js';
import { FakeAgent } from '../helpers/fake-agent.js';
import { RawScheduler } from '../helpers/raw-scheduler.js';
import { acceptCall, idOf, task } from '../helpers/tasks.js';

/** A master, its agents by hostname, and a scheduler holding one offer per agent. */
export interface OpsFixture {
  master: Master;
  agents: Record<string, FakeAgent>;
  sched: RawScheduler;
  /** One outstanding offer per agent ID (taken as they came). */
  offers: Map<string, IOffer>;
  close(): Promise<void>;
}

const zone = (value: string): IAttribute => ({ name: 'zone', type: 3, text: { value } });

/** Starts the master, registers `host-a` (cpus:4) and `host-b` (cpus:2), subscribes a framework `web`. */
export async function startOpsFixture(options: { frameworkName?: string } = {}): Promise<OpsFixture> {
  const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger, hostname: 'm1' });
  const a = new FakeAgent(master.grpcAddress);
  await a.register('cpus:4;mem:4096;disk:1000', { hostname: 'host-a', attributes: [zone('a')] });
  const b = new FakeAgent(master.grpcAddress);
  await b.register('cpus:2;mem:2048;disk:500', { hostname: 'host-b', attributes: [zone('b')] });
  const sched = new RawScheduler(master.grpcAddress);
  await sched.subscribe({ name: options.frameworkName ?? 'web', user: 'ops', roles: ['web'] });
  const offers = new Map<string, IOffer>();
  while (offers.size < 2) {
    const ev = await sched.events.take((e) => e.type === EventType.OFFERS, 'OFFERS for both agents');
    for (const o of ev.offers?.offers ?? []) offers.set(o.agentId?.value ?? '', o);
  }
  return {
    master,
    agents: { 'host-a': a, 'host-b': b },
    sched,
    offers,
    async close() {
      a.close();
      b.close();
      sched.close();
      await master.stop();
    },
  };
}

/** Launches `ids` (cpus:0.5;mem:128 each) with the agent's offer, declining the rest for an hour. */
export function launch(f: OpsFixture, agent: FakeAgent, ids: string[]): void {
  const offer = f.offers.get(agent.agentId);
  if (!offer) throw new Error(`no offer for ${agent.agentId}`);
  f.offers.delete(agent.agentId);
  f.sched.send(
    acceptCall(
      [idOf(offer)],
      ids.map((id) => task(id, agent.agentId, 'cpus:0.5;mem:128')),
      3600,
    ),
  );
}

/** An agent's status update, optionally with a health verdict. */
export function update(f: OpsFixture, agent: FakeAgent, taskId: string, state: TaskState, healthy?: boolean): void {
  agent.write({
    type: AgentCallType.UPDATE,
    update: {
      frameworkId: { value: f.sched.frameworkId },
      status: {
        taskId: { value: taskId },
        state,
        uuid: newUpdateUuid(),
        agentId: { value: agent.agentId },
        source: 1,
        ...(healthy === undefined ? {} : { hasHealthy: true, healthy }),
      },
    },
  });
}

/** GET a JSON document (no redirect following). */
export async function getJson<T>(url: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, { redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T, headers: res.headers };
}

export { TaskState };
