// A task's sandbox read through the master: a real master and a real agent
// (LocalCluster), a command task writing stdout and stderr, then
// /master/agents/{id}/files/{browse,read,download} proxied to the agent.
import { expect } from 'chai';
import { userInfo } from 'node:os';
import { CallType, TaskState } from '@mesocosm/protocol';
import type { TasksPage } from '../../src/views/feed-types.js';
import { RawScheduler } from '../helpers/raw-scheduler.js';
import { acceptCall, idOf, task } from '../helpers/tasks.js';
import { waitFor } from '../helpers/wait-for.js';
import { getJson } from './ops-fixture.js';

/** The parts of @mesocosm/testing's LocalCluster used here (loaded at run time: it depends on this package). */
interface Cluster {
  readonly masterGrpc: string;
  readonly masterHttp: string;
  readonly agents: { agentId: string; httpUrl: string }[];
  killAgent(i: number): Promise<void>;
  stop(): Promise<void>;
}

async function startCluster(): Promise<Cluster> {
  const name = '@mesocosm/testing';
  const testing = (await import(name)) as { LocalCluster: { start(o: { agents: number }): Promise<Cluster> } };
  return testing.LocalCluster.start({ agents: 1 });
}

interface Entry {
  path: string;
  size: number;
  mode: string;
}

describe('sandbox files through the master (real agent)', function () {
  this.timeout(30_000);
  let cluster: Cluster;
  let sched: RawScheduler;
  let files: string;
  let sandbox: string;

  before(async () => {
    cluster = await startCluster();
    sched = new RawScheduler(cluster.masterGrpc);
    await sched.subscribe({ name: 'files', user: userInfo().username });
    const offer = await sched.offer(10_000);
    const agentId = cluster.agents[0]?.agentId ?? '';
    const command = 'echo hello-from-the-sandbox; echo oops >&2';
    sched.send(acceptCall([idOf(offer)], [task('hello', agentId, 'cpus:0.1;mem:32', command)], 3600));
    // Acknowledge each update: the agent sends the next one only then.
    for (;;) {
      const status = (await sched.update('hello', undefined, 20_000)).update?.status;
      if (status?.uuid && status.uuid.length > 0) {
        sched.send({
          type: CallType.ACKNOWLEDGE,
          acknowledge: { agentId: { value: agentId }, taskId: { value: 'hello' }, uuid: status.uuid },
        });
      }
      if (status?.state === TaskState.TASK_FINISHED) break;
      if (status?.state !== TaskState.TASK_STARTING && status?.state !== TaskState.TASK_RUNNING) {
        throw new Error(`task hello ended ${String(status?.state)}: ${status?.message ?? ''}`);
      }
    }
    const page = await getJson<TasksPage>(`${cluster.masterHttp}/master/tasks?name=hello`);
    const row = page.body.tasks[0];
    expect(row?.agent_id).to.equal(agentId);
    sandbox = row?.sandbox ?? '';
    files = `${cluster.masterHttp}/master/agents/${encodeURIComponent(agentId)}/files`;
  });

  after(async () => {
    sched?.close();
    await cluster?.stop();
  });

  it("browses the task's sandbox: one run directory holding stdout and stderr", async () => {
    const runs = await getJson<Entry[]>(`${files}/browse?path=${encodeURIComponent(sandbox)}`);
    expect(runs.status).to.equal(200);
    expect(runs.body.map((e) => e.path)).to.deep.equal([`${sandbox}/run-1`]);
    expect(runs.body[0]?.mode).to.match(/^d/);
    const run = await getJson<Entry[]>(`${files}/browse?path=${encodeURIComponent(`${sandbox}/run-1`)}`);
    expect(run.body.map((e) => e.path)).to.include.members([`${sandbox}/run-1/stdout`, `${sandbox}/run-1/stderr`]);
  });

  it("reads and downloads the task's stdout and stderr", async () => {
    const stdout = encodeURIComponent(`${sandbox}/run-1/stdout`);
    const read = await getJson<{ data: string; offset: number }>(`${files}/read?path=${stdout}&offset=0`);
    expect(read.status).to.equal(200);
    expect(read.body.data).to.include('hello-from-the-sandbox\n');
    const end = await getJson<{ data: string; offset: number }>(`${files}/read?path=${stdout}`);
    expect(end.body).to.deep.equal({ data: '', offset: Buffer.byteLength(read.body.data) });
    const tail = await getJson<{ data: string }>(`${files}/read?path=${stdout}&offset=6&length=4`);
    expect(tail.body.data).to.equal('from');

    const download = await fetch(`${files}/download?path=${encodeURIComponent(`${sandbox}/run-1/stderr`)}`);
    expect(download.status).to.equal(200);
    expect(download.headers.get('content-type')).to.equal('application/octet-stream');
    expect(download.headers.get('content-disposition')).to.equal('attachment; filename="stderr"');
    expect(await download.text()).to.include('oops\n');
  });

  it('refuses paths outside the sandboxes, unknown agents and unknown verbs', async () => {
    const up = await getJson<{ error: string }>(
      `${files}/read?path=${encodeURIComponent('../../../../etc/passwd')}&offset=0`,
    );
    expect(up.status).to.equal(403);
    expect(up.body.error).to.match(/leaves the sandboxes/);
    const absolute = await getJson<{ error: string }>(`${files}/read?path=%2Fetc%2Fpasswd&offset=0`);
    expect(absolute.status).to.equal(403); // the agent's own check
    expect(JSON.stringify(absolute.body)).to.not.include('root:');
    const missing = await getJson<{ error: string }>(`${files}/read?path=${encodeURIComponent(`${sandbox}/nope`)}`);
    expect(missing.status).to.equal(404);
    const noPath = await getJson<{ error: string }>(`${files}/read`);
    expect(noPath.status).to.equal(400);
    expect(noPath.body.error).to.match(/path/);

    const stranger = await getJson<{ error: string }>(`${cluster.masterHttp}/master/agents/nope/files/read?path=x`);
    expect(stranger.status).to.equal(404);
    expect(stranger.body.error).to.match(/no agent 'nope'/);
    const verb = await getJson<{ error: string }>(`${files}/delete?path=x`);
    expect(verb.status).to.equal(404);
  });

  it('answers 502 when the agent does not answer', async () => {
    await cluster.killAgent(0);
    const stdout = encodeURIComponent(`${sandbox}/run-1/stdout`);
    const res = await waitFor(async () => {
      const r = await getJson<{ error: string }>(`${files}/read?path=${stdout}&offset=0`);
      return r.status === 502 && r;
    }, 'a 502 from the master');
    expect(res.body.error).to.match(/did not answer/);
  });
});
