// Marathon's REST API locked (HTTP basic and bearer credentials, per-path
// ACLs): first an in-process Marathon on a LocalCluster whose tasks run for
// real, then two `mesocosm marathon` processes on ZooKeeper started with
// --http_credentials_file and --http_acls, where the follower must keep the
// caller's identity when it proxies to the leader, and no secret may reach
// a log line.
import { expect } from 'chai';
import { silentLogger } from '@mesocosm/framework-sdk';
import { Marathon, type AclRule } from '@mesocosm/marathon';
import { LocalCluster, sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';
import {
  allLines,
  basic,
  bearer,
  principals,
  request,
  startLoggedPair,
  writeAuthFiles,
  type LoggedDaemon,
} from './api-auth-fixtures.js';

const RULES: AclRule[] = [
  { principal: 'alice', actions: ['view', 'create', 'update', 'delete', 'kill'], paths: ['/team-a/**'] },
  { principal: 'alice', actions: ['view', 'create'], paths: ['/shop', '/shop/front'] },
  { principal: 'bob', actions: ['view', 'create', 'kill'], paths: ['/team-b/**'] },
];

const app = (id: string): Record<string, unknown> => ({ id, cmd: 'sleep 600', cpus: 0.05, mem: 16, instances: 1 });

interface AppsJson {
  apps: { id: string; tasksRunning: number }[];
}

function appIds(json: unknown): string[] {
  return (json as AppsJson).apps.map((a) => a.id).sort();
}

describe('Marathon REST API authentication and ACLs on a LocalCluster', function () {
  this.timeout(180_000);
  const p = principals();
  const alice = basic('alice', p.alice);
  const bob = basic('bob', p.bob);
  let cluster: LocalCluster;
  let marathon: Marathon;
  let base: string;

  before(async () => {
    cluster = await LocalCluster.start({ agents: 1 });
    await cluster.waitForAgents(1);
    marathon = await Marathon.start({
      master: cluster.masterGrpc,
      hostname: '127.0.0.1',
      httpHost: '127.0.0.1',
      httpPort: 0,
      frameworkName: 'marathon-auth-it',
      minReviveIntervalMs: 500,
      logger: silentLogger,
      httpAuth: {
        credentials: [
          { principal: 'alice', secret: p.alice },
          { principal: 'bob', secret: p.bob },
        ],
        tokens: [{ principal: 'bob', token: p.bobToken }],
        acls: RULES,
      },
    });
    base = marathon.url;
    await waitFor(() => marathon.isLeader, { timeoutMs: 20_000, message: 'Marathon leads' });
  });
  after(async () => {
    await marathon?.stop();
    await cluster?.stop();
  });

  it('answers 401 without or with wrong credentials, 200 with the right ones; /ping stays open', async () => {
    for (const headers of [{}, basic('alice', p.bob), basic('carol', p.alice), bearer('not-a-token')]) {
      const res = await request('GET', `${base}/v2/apps`, headers);
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Basic realm="Mesosphere"');
      expect((res.json as { message: string }).message).to.match(/^Unauthorized/);
    }
    expect((await request('GET', `${base}/v2/apps`, alice)).status).to.equal(200);
    expect((await request('GET', `${base}/v2/apps`, bearer(p.bobToken))).status).to.equal(200);
    expect((await request('GET', `${base}/ping`)).status).to.equal(200);
    expect((await request('GET', `${base}/`)).status).to.equal(401);
  });

  it('alice creates /team-a/x and its task runs; /team-b/y is 403 and is not created', async () => {
    expect((await request('POST', `${base}/v2/apps`, alice, app('/team-a/x'))).status).to.equal(201);
    const denied = await request('POST', `${base}/v2/apps`, alice, app('/team-b/y'));
    expect(denied.status).to.equal(403);
    expect((denied.json as { message: string }).message).to.contain("Principal 'alice' may not create '/team-b/y'");
    expect(marathon.service.getApp('/team-b/y')).to.equal(undefined);
    expect((await request('POST', `${base}/v2/apps`, bob, app('/team-b/y'))).status).to.equal(201);
    await waitFor(
      () => ['/team-a/x', '/team-b/y'].every((id) => marathon.service.appTasks(id)?.[0]?.['state'] === 'TASK_RUNNING'),
      { timeoutMs: 60_000, message: 'both apps running on the cluster' },
    );
  });

  it('lists only what each principal may view', async () => {
    expect(appIds((await request('GET', `${base}/v2/apps`, alice)).json)).to.deep.equal(['/team-a/x']);
    expect(appIds((await request('GET', `${base}/v2/apps`, bearer(p.bobToken))).json)).to.deep.equal(['/team-b/y']);
    const tasks = (await request('GET', `${base}/v2/tasks`, bob)).json as { tasks: { appId: string }[] };
    expect(tasks.tasks.map((t) => t.appId)).to.deep.equal(['/team-b/y']);
    expect((await request('GET', `${base}/v2/apps/team-a/x`, bob)).status).to.equal(403);
  });

  it('a group body partly outside the rules is refused whole, naming the first id; nothing is created', async () => {
    const group = { id: '/shop', apps: [app('front'), app('back')] };
    const res = await request('POST', `${base}/v2/groups`, alice, group);
    expect(res.status).to.equal(403);
    expect((res.json as { message: string }).message).to.contain("may not create '/shop/back'");
    expect(marathon.service.getGroup('/shop')).to.equal(undefined);
    expect(marathon.service.listApps().map((a) => a['id'])).not.to.include('/shop/front');
  });

  it("bob may not kill alice's task: 403, and the task keeps running", async () => {
    const task = String(marathon.service.appTasks('/team-a/x')?.[0]?.['id']);
    const res = await request('POST', `${base}/v2/tasks/delete`, bob, { ids: [task] });
    expect(res.status).to.equal(403);
    expect((res.json as { message: string }).message).to.contain("may not kill '/team-a/x'");
    expect(marathon.service.appTasks('/team-a/x')?.[0]).to.deep.include({ id: task, state: 'TASK_RUNNING' });
  });
});

describe('two `mesocosm marathon` processes with --http_credentials_file and --http_acls', function () {
  this.timeout(180_000);
  let cluster: LocalCluster | undefined;
  let daemons: LoggedDaemon[] = [];

  before(function () {
    requireInfra(this, 'zookeeper');
  });
  after(async () => {
    for (const d of daemons) await d.daemon.kill('SIGKILL');
    await cluster?.stop();
  });

  it('the follower authenticates, forwards the credentials, the leader applies the ACLs; no secret is logged', async () => {
    const p = principals();
    const files = await writeAuthFiles(p, RULES);
    const { connectString } = await sharedZooKeeper();
    cluster = await LocalCluster.start({ agents: 1 });
    daemons = await startLoggedPair('marathon', {
      master: cluster.masterGrpc,
      zkConnect: connectString,
      args: ['--http_credentials_file', files.credentials, '--http_acls', files.acls],
    });
    const alice = basic('alice', p.alice);
    const urls = daemons.map((d) => d.daemon.ready.http);
    const leaderHost = await waitFor(
      async () =>
        ((await request('GET', `${urls[0]}/v2/leader`, alice)).json as { leader?: string } | undefined)?.leader,
      { timeoutMs: 30_000, message: 'a leader known to marathon 1' },
    );
    const follower = urls.find((u) => new URL(u).host !== leaderHost) ?? '';
    const leader = urls.find((u) => new URL(u).host === leaderHost) ?? '';
    expect(follower).not.to.equal('');

    const anonymous = await request('POST', `${follower}/v2/apps`, {}, app('/team-a/x'));
    expect(anonymous.status).to.equal(401);
    expect(anonymous.headers.get('x-marathon-via')).to.equal(null);
    const created = await request('POST', `${follower}/v2/apps`, alice, app('/team-a/x'));
    expect(created.status).to.equal(201);
    expect(created.headers.get('x-marathon-leader')).to.equal(leader);
    const denied = await request('POST', `${follower}/v2/apps`, alice, app('/team-b/y'));
    expect(denied.status).to.equal(403);
    expect(denied.headers.get('x-marathon-via')).to.match(/^1\.1 /);
    expect((await request('POST', `${follower}/v2/apps`, basic('bob', p.bob), app('/team-b/y'))).status).to.equal(201);
    expect(appIds((await request('GET', `${follower}/v2/apps`, bearer(p.bobToken))).json)).to.deep.equal(['/team-b/y']);
    expect(appIds((await request('GET', `${follower}/v2/apps`, alice)).json)).to.deep.equal(['/team-a/x']);

    const logs = allLines(daemons);
    expect(logs).to.contain('REST API authentication on');
    for (const secret of [p.alice, p.bob, p.bobToken]) expect(logs).not.to.contain(secret);
  });
});
