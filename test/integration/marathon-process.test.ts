// Two `mesocosm marathon` processes on a real ZooKeeper beside a LocalCluster:
// an app POSTed to the follower (proxied to the leader), scaled 2 -> 8, and
// the leader killed with SIGKILL while the deployment runs. The survivor must
// lead, finish the deployment, and the master must see exactly 8 running
// tasks of the framework: none lost, none launched twice.
import { expect } from 'chai';
import type { MasterState } from '@mesocosm/master';
import { DaemonProcess, LocalCluster, fetchJson, sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra, startFrameworkPair } from '../helpers/index.js';

const APP = '/proc/web';

interface AppJson {
  id: string;
  instances: number;
  tasksRunning: number;
  tasksHealthy: number;
}

/** Sends a JSON body; resolves with the status, the body and the headers. */
async function send(
  method: string,
  url: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

describe('mesocosm marathon: two processes on ZooKeeper, leader killed with SIGKILL mid-deployment', function () {
  this.timeout(240_000);
  let cluster: LocalCluster | undefined;
  const daemons: DaemonProcess[] = [];

  before(async function () {
    requireInfra(this, 'zookeeper');
  });

  after(async () => {
    for (const d of daemons) await d.kill('SIGKILL');
    await cluster?.stop();
  });

  it('the follower proxies, the survivor leads and finishes the deployment: 8 tasks, no duplicates', async () => {
    const { connectString } = await sharedZooKeeper();
    cluster = await LocalCluster.start({ agents: 2 });
    await cluster.waitForAgents(2);
    daemons.push(
      ...(await startFrameworkPair('marathon', {
        master: cluster.masterGrpc,
        zkConnect: connectString,
        extraArgs: ['--min_revive_offers_interval', '500ms'],
      })),
    );
    const hostPort = (d: DaemonProcess): string => new URL(d.ready.http).host;
    const leaderName = await waitFor(
      async () => (await fetchJson<{ leader: string }>(`${daemons[0]!.ready.http}/v2/leader`)).leader,
      { timeoutMs: 30_000, message: 'a leader known to marathon 1' },
    );
    const leader = daemons.find((d) => hostPort(d) === leaderName) as DaemonProcess;
    const follower = daemons.find((d) => d !== leader) as DaemonProcess;
    expect(leader, `leader ${leaderName}`).to.not.equal(undefined);
    const frameworkId = await waitFor(
      async () => (await fetchJson<{ frameworkId: string | null }>(`${leader.ready.http}/v2/info`)).frameworkId,
      { timeoutMs: 30_000, message: 'the leader subscribed' },
    );

    // A task turns healthy 3 s after it starts (failures are ignored in the grace period): the
    // deployment waits for that, which leaves time to kill the leader with tasks in flight.
    const app = {
      id: APP,
      cmd: 'sleep 3 && touch ready && exec sleep 600',
      instances: 2,
      cpus: 0.05,
      mem: 16,
      backoffSeconds: 1,
      healthChecks: [
        {
          protocol: 'COMMAND',
          command: { value: 'test -f ready' },
          gracePeriodSeconds: 30,
          intervalSeconds: 2,
          timeoutSeconds: 1,
        },
      ],
    };
    const created = await send('POST', `${follower.ready.http}/v2/apps`, app);
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
    expect(created.headers.get('x-marathon-leader')).to.equal(leader.ready.http);
    const appOf = async (base: string): Promise<AppJson> =>
      (await fetchJson<{ app: AppJson }>(`${base}/v2/apps${APP}`)).app;
    await waitFor(
      async () =>
        (await appOf(follower.ready.http)).tasksRunning === 2 &&
        (await fetchJson<unknown[]>(`${follower.ready.http}/v2/deployments`)).length === 0,
      { timeoutMs: 60_000, message: '2 instances running' },
    );

    const scaled = await send('PUT', `${follower.ready.http}/v2/apps${APP}`, { ...app, instances: 8 });
    expect(scaled.status, JSON.stringify(scaled.json)).to.equal(200);
    // Kill once the leader has launched some of the 6 new tasks, before the deployment is done.
    const masterTasks = async (): Promise<{ id: string; state: string }[]> =>
      (await fetchJson<MasterState>(`${cluster!.masterHttp}/master/state`)).frameworks.find((f) => f.id === frameworkId)
        ?.tasks ?? [];
    const launched = await waitFor(async () => (await masterTasks()).length > 2 && (await masterTasks()).length, {
      timeoutMs: 60_000,
      intervalMs: 20,
      message: 'new tasks launched',
    });
    const deployments = await fetchJson<{ id: string }[]>(`${leader.ready.http}/v2/deployments`);
    const before = await appOf(leader.ready.http);
    expect(deployments.map((d) => d.id)).to.deep.equal([scaled.json['deploymentId']]);
    expect(before.tasksHealthy).to.be.below(8);
    const t0 = Date.now();
    const killed = await leader.kill('SIGKILL');
    expect(killed.signal).to.equal('SIGKILL');

    await waitFor(
      async () =>
        (await fetchJson<{ leader: string }>(`${follower.ready.http}/v2/leader`)).leader === hostPort(follower),
      { timeoutMs: 60_000, intervalMs: 50, message: 'the survivor leads' },
    );
    const elected = Date.now() - t0;
    await waitFor(
      async () => (await fetchJson<{ frameworkId: string | null }>(`${follower.ready.http}/v2/info`)).frameworkId,
      { timeoutMs: 30_000, message: 'the survivor subscribed' },
    );
    const subscribed = Date.now() - t0;
    await waitFor(async () => (await fetchJson<unknown[]>(`${follower.ready.http}/v2/deployments`)).length === 0, {
      timeoutMs: 120_000,
      intervalMs: 200,
      message: 'the deployment finished on the survivor',
    });
    const finished = Date.now() - t0;
    console.log(
      `      SIGKILL of the leader (${launched} tasks at the master, ${before.tasksRunning} running, ${before.tasksHealthy} healthy) -> ` +
        `survivor leads in ${elected} ms, subscribed in ${subscribed} ms, deployment done in ${finished} ms`,
    );

    const after = await appOf(follower.ready.http);
    expect(after).to.deep.include({ instances: 8, tasksRunning: 8 });
    const info = await fetchJson<{ frameworkId: string }>(`${follower.ready.http}/v2/info`);
    expect(info.frameworkId, 'the survivor failed over the same framework').to.equal(frameworkId);
    const tasks = (await fetchJson<{ tasks: { id: string }[] }>(`${follower.ready.http}/v2/apps${APP}/tasks`)).tasks;
    const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
    const ours = state.frameworks.filter((f) => f.name === 'marathon-proc-it');
    expect(ours.map((f) => f.id)).to.deep.equal([frameworkId]);
    const running = (ours[0]?.tasks ?? []).filter((t) => t.state === 'TASK_RUNNING');
    expect(running).to.have.length(8);
    expect(new Set(running.map((t) => t.id)).size).to.equal(8);
    expect(new Set(running.map((t) => t.id))).to.deep.equal(new Set(tasks.map((t) => t.id)));

    const deleted = await send('DELETE', `${follower.ready.http}/v2/apps${APP}?force=true`, undefined);
    expect(deleted.status).to.equal(200);
    expect(await follower.kill('SIGTERM')).to.deep.equal({ code: 0, signal: null });
  });
});
