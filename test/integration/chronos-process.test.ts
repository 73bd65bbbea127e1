// Two `mesocosm chronos` processes on a real ZooKeeper beside a LocalCluster:
// the follower redirects API writes to the leader (307); a job runs every 3 s
// and the leader is killed with SIGKILL 300 ms before a scheduled time. That
// run must happen exactly once, counted from what the tasks themselves wrote.
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunId } from '@mesocosm/chronos';
import { DaemonProcess, LocalCluster, fetchJson, sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra, startFrameworkPair } from '../helpers/index.js';

const PERIOD_MS = 3_000;

function isoAt(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The lines the job's tasks wrote: `<run ID> <epoch ms when the task ran>`. */
async function runs(file: string): Promise<{ scheduled: number; at: number }[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [runId = '', at = ''] = l.split(' ');
      return { scheduled: parseRunId(runId)?.scheduledTime ?? NaN, at: Number(at) };
    });
}

describe('mesocosm chronos: two processes on ZooKeeper, leader killed with SIGKILL before a run', function () {
  this.timeout(180_000);
  let cluster: LocalCluster | undefined;
  let dir: string | undefined;
  const daemons: DaemonProcess[] = [];

  before(async function () {
    requireInfra(this, 'zookeeper');
  });

  after(async () => {
    for (const d of daemons) await d.kill('SIGKILL');
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the follower redirects (307); the run due 300 ms after the kill happens exactly once', async () => {
    const { connectString } = await sharedZooKeeper();
    dir = await mkdtemp(join(tmpdir(), 'chronos-proc-'));
    cluster = await LocalCluster.start({ agents: 2 });
    await cluster.waitForAgents(2);
    daemons.push(...(await startFrameworkPair('chronos', { master: cluster.masterGrpc, zkConnect: connectString })));
    const hostPort = (d: DaemonProcess): string => new URL(d.ready.http).host;
    const leaderOf = async (d: DaemonProcess): Promise<string> =>
      (await fetchJson<{ leader: string }>(`${d.ready.http}/leader`)).leader;
    const leaderName = await waitFor(() => leaderOf(daemons[0]!), { timeoutMs: 30_000, message: 'a leader' });
    const leader = daemons.find((d) => hostPort(d) === leaderName) as DaemonProcess;
    const follower = daemons.find((d) => d !== leader) as DaemonProcess;
    expect(leader, `leader ${leaderName}`).to.not.equal(undefined);
    await waitFor(async () => (await leaderOf(follower)) === leaderName, { timeoutMs: 30_000, message: 'follower' });

    const out = join(dir, 'runs.txt');
    const start = Math.ceil((Date.now() + 4_000) / 1000) * 1000;
    const job = {
      name: 'proc-every3',
      command: `echo "$CHRONOS_JOB_RUN_ID $(date +%s%3N)" >> ${out}`,
      schedule: `R/${isoAt(start)}/PT3S`,
      cpus: 0.05,
      mem: 16,
    };
    const post = (base: string, body: object = job): Promise<Response> =>
      fetch(`${base}/v1/scheduler/iso8601`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
      });
    const redirected = await post(follower.ready.http);
    expect(redirected.status).to.equal(307);
    expect(redirected.headers.get('location')).to.equal(`${leader.ready.http}/v1/scheduler/iso8601`);
    const created = await post(leader.ready.http);
    expect(created.status, await created.text()).to.be.oneOf([200, 204]);

    // Two runs under the first leader, then SIGKILL 300 ms before the third.
    await waitFor(async () => (await runs(out)).length >= 2, { timeoutMs: 30_000, message: 'two runs' });
    const third = start + 2 * PERIOD_MS;
    await waitFor(() => Date.now() >= third - 300, { timeoutMs: 30_000, intervalMs: 5, message: 'just before run 3' });
    const killedAt = Date.now();
    expect((await runs(out)).map((r) => r.scheduled)).to.not.include(third);
    await leader.kill('SIGKILL');

    await waitFor(async () => (await leaderOf(follower)) === hostPort(follower), {
      timeoutMs: 60_000,
      message: 'the survivor leads',
    });
    const elected = Date.now() - killedAt;
    await waitFor(async () => (await runs(out)).some((r) => r.scheduled === third), {
      timeoutMs: 60_000,
      message: 'run 3 done by the survivor',
    });
    const thirdDone = Date.now() - killedAt;
    await waitFor(async () => (await runs(out)).length >= 5, { timeoutMs: 60_000, message: 'five runs' });

    const seen = (await runs(out)).map((r) => r.scheduled);
    const late = (await runs(out)).find((r) => r.scheduled === third)!.at - third;
    console.log(
      `      SIGKILL ${third - killedAt} ms before run 3 -> survivor leads in ${elected} ms, ` +
        `run 3 started ${late} ms after its time (seen ${thirdDone} ms after the kill)`,
    );
    expect(
      seen.filter((t) => t === third),
      'run 3 exactly once',
    ).to.have.length(1);
    const expected: number[] = [];
    for (let t = start; t <= Math.max(...seen); t += PERIOD_MS) expected.push(t);
    expect(seen, 'each scheduled time ran once, none lost').to.deep.equal(expected);

    // The survivor answers writes itself now.
    const again = await post(follower.ready.http, {
      ...job,
      name: 'proc-later',
      schedule: 'R1/2099-01-01T00:00:00Z/PT1H',
    });
    expect(again.status).to.be.oneOf([200, 204]);
    expect(await follower.kill('SIGTERM')).to.deep.equal({ code: 0, signal: null });
  });
});
