// The live feed filtered per connection by the view ACLs, on a real cluster
// (LocalCluster: a master with --authenticate_http and --acls, a real
// agent): frameworks of principals alice and bob each run a task; feed
// clients authenticated as alice and bob see only their own framework's
// frameworks, tasks and offers, one authenticated as ops sees both, and an
// anonymous one gets 401.
import { expect } from 'chai';
import WebSocket from 'ws';
import { CallType, TaskState, type IOffer } from '@mesocosm/protocol';
import type { FeedMessage } from '../../src/views/feed-types.js';
import { RawScheduler } from '../helpers/raw-scheduler.js';
import { acceptCall, idOf, task } from '../helpers/tasks.js';
import { Inbox, waitFor } from '../helpers/wait-for.js';

/** The parts of @mesocosm/testing's LocalCluster used here (loaded at run time: it depends on this package). */
interface Cluster {
  readonly masterGrpc: string;
  readonly masterHttp: string;
  readonly agents: { agentId: string }[];
  stop(): Promise<void>;
}

const SECRETS = { ops: 'ops-feed-secret', alice: 'alice-feed-secret', bob: 'bob-feed-secret' } as const;
type Principal = keyof typeof SECRETS;
const ANY = { type: 'ANY' };
const own = (p: Principal) => ({ principals: { values: [p] }, framework_principals: { values: [p] } });
const ACLS = {
  permissive: false,
  register_frameworks: [{ principals: ANY, roles: ANY }],
  run_tasks: [{ principals: ANY, users: ANY }],
  view_frameworks: [{ principals: { values: ['ops'] }, framework_principals: ANY }, own('alice'), own('bob')],
  view_tasks: [{ principals: { values: ['ops'] }, framework_principals: ANY }, own('alice'), own('bob')],
  view_sandboxes: [{ principals: { values: ['ops'] }, framework_principals: ANY }, own('alice'), own('bob')],
};

const basic = (p: Principal): string => `Basic ${Buffer.from(`${p}:${SECRETS[p]}`).toString('base64')}`;

async function startCluster(): Promise<Cluster> {
  const name = '@mesocosm/testing';
  const testing = (await import(name)) as { LocalCluster: { start(o: unknown): Promise<Cluster> } };
  return testing.LocalCluster.start({
    agents: 1,
    operatorCredential: { principal: 'ops', secret: SECRETS.ops },
    masterOptions: {
      authenticateHttp: true,
      credentials: {
        credentials: (Object.keys(SECRETS) as Principal[]).map((p) => ({ principal: p, secret: SECRETS[p] })),
      },
      acls: ACLS,
    },
  });
}

/** A feed connection as `principal`: its messages, parsed, and their texts. */
class Watcher {
  readonly messages = new Inbox<FeedMessage>();
  readonly texts: string[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      this.texts.push(text);
      this.messages.push(JSON.parse(text) as FeedMessage);
    });
  }

  static open(url: string, principal: Principal): Promise<Watcher> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/feed`, {
      headers: { authorization: basic(principal) },
    });
    const w = new Watcher(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(w));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`feed as ${principal}: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** The task rows received for `taskId`, in order. */
  taskStates(taskId: string): string[] {
    return this.messages.all.flatMap((m) =>
      m.type === 'TASKS' ? m.upserted.filter((t) => t.id === taskId).map((t) => t.state) : [],
    );
  }

  /** Every framework ID named by a snapshot, a FRAMEWORKS delta, an offer or a task row. */
  frameworkIds(): Set<string> {
    const ids = new Set<string>();
    for (const m of this.messages.all) {
      if (m.type === 'SNAPSHOT') {
        for (const f of m.frameworks) ids.add(f.id);
        for (const o of m.offers) ids.add(o.framework_id);
      }
      if (m.type === 'FRAMEWORKS') for (const id of [...m.upserted.map((f) => f.id), ...m.removed]) ids.add(id);
      if (m.type === 'OFFERS') for (const o of m.offers) ids.add(o.framework_id);
      if (m.type === 'TASKS') for (const t of m.upserted) ids.add(t.framework_id);
    }
    return ids;
  }

  close(): void {
    this.ws.close();
  }
}

/** Runs `sleep 60` as task `taskId` from the first offer `sched` gets (keeping the rest of the agent for others). */
async function launch(sched: RawScheduler, agentId: string, taskId: string): Promise<void> {
  const offer: IOffer = await sched.offer(15_000);
  sched.send(acceptCall([idOf(offer)], [task(taskId, agentId, 'cpus:0.1;mem:32', 'sleep 60')], 3600));
  for (;;) {
    const status = (await sched.update(taskId, undefined, 20_000)).update?.status;
    if (status?.uuid && status.uuid.length > 0) {
      sched.send({
        type: CallType.ACKNOWLEDGE,
        acknowledge: { agentId: { value: agentId }, taskId: { value: taskId }, uuid: status.uuid },
      });
    }
    if (status?.state === TaskState.TASK_RUNNING) return;
    if (status?.state !== TaskState.TASK_STARTING) {
      throw new Error(`task ${taskId} ended ${String(status?.state)}: ${status?.message ?? ''}`);
    }
  }
}

describe('live feed filtered by the view ACLs (real cluster, --authenticate_http, --acls)', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  const scheds: RawScheduler[] = [];
  const watchers: Watcher[] = [];
  const watch = async (p: Principal): Promise<Watcher> => {
    const w = await Watcher.open(cluster.masterHttp, p);
    watchers.push(w);
    return w;
  };

  before(async () => {
    cluster = await startCluster();
  });

  after(async () => {
    for (const w of watchers) w.close();
    for (const s of scheds) s.close();
    await cluster?.stop();
  });

  it('refuses an anonymous caller with 401', async () => {
    const status = await new Promise<number | string>((resolve) => {
      const ws = new WebSocket(`${cluster.masterHttp.replace(/^http/, 'ws')}/api/v1/feed`);
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      ws.once('error', (err) => resolve(err.message));
    });
    expect(status).to.equal(401);
  });

  it("sends each principal only its own framework's frameworks, tasks and offers; ops both", async () => {
    const [ops, alice, bob] = [await watch('ops'), await watch('alice'), await watch('bob')];
    for (const w of [ops, alice, bob]) await w.messages.take((m) => m.type === 'SNAPSHOT', 'SNAPSHOT');
    const agentId = cluster.agents[0]?.agentId ?? '';

    const a = new RawScheduler(cluster.masterGrpc);
    scheds.push(a);
    await a.subscribe({ name: 'fw-alice', user: 'nobody', principal: 'alice' });
    await launch(a, agentId, 'alice-task');
    const b = new RawScheduler(cluster.masterGrpc);
    scheds.push(b);
    await b.subscribe({ name: 'fw-bob', user: 'nobody', principal: 'bob' });
    await launch(b, agentId, 'bob-task');

    const running = (w: Watcher, taskId: string) => w.taskStates(taskId).includes('TASK_RUNNING');
    await waitFor(() => running(ops, 'alice-task') && running(ops, 'bob-task'), 'ops sees both tasks RUNNING', 10_000);
    await waitFor(() => running(alice, 'alice-task'), 'alice sees her task RUNNING', 10_000);
    await waitFor(() => running(bob, 'bob-task'), 'bob sees his task RUNNING', 10_000);

    // Bob's task ends; ops sees it, then alice's own task changes (a later batch on her socket).
    b.send({ type: CallType.KILL, kill: { taskId: { value: 'bob-task' }, agentId: { value: agentId } } });
    await waitFor(() => ops.taskStates('bob-task').includes('TASK_KILLED'), 'ops sees bob-task KILLED', 15_000);
    await waitFor(() => bob.taskStates('bob-task').includes('TASK_KILLED'), 'bob sees bob-task KILLED', 15_000);
    a.send({ type: CallType.KILL, kill: { taskId: { value: 'alice-task' }, agentId: { value: agentId } } });
    await waitFor(() => alice.taskStates('alice-task').includes('TASK_KILLED'), 'alice sees alice-task KILLED', 15_000);
    await waitFor(() => ops.taskStates('alice-task').includes('TASK_KILLED'), 'ops sees alice-task KILLED', 15_000);

    expect([...ops.frameworkIds()].sort()).to.deep.equal([a.frameworkId, b.frameworkId].sort());
    expect([...alice.frameworkIds()]).to.deep.equal([a.frameworkId]);
    expect([...bob.frameworkIds()]).to.deep.equal([b.frameworkId]);
    // Not a word of the other's framework or task reaches them, in any message.
    for (const [w, hidden] of [
      [alice, [b.frameworkId, 'bob-task', 'fw-bob']],
      [bob, [a.frameworkId, 'alice-task', 'fw-alice']],
    ] as const) {
      for (const word of hidden)
        expect(
          w.texts.filter((t) => t.includes(word)),
          word,
        ).to.deep.equal([]);
    }
    expect(bob.taskStates('alice-task')).to.deep.equal([]);
    expect(alice.taskStates('bob-task')).to.deep.equal([]);
    // The aggregates are not filtered: everyone gets the summary and the samples.
    for (const w of [alice, bob]) {
      await w.messages.take((m) => m.type === 'SAMPLE', 'SAMPLE', 5000);
      const summary = w.messages.all.findLast((m) => m.type === 'SUMMARY' || m.type === 'SNAPSHOT');
      expect(summary, 'a summary').to.not.equal(undefined);
    }
  });
});
