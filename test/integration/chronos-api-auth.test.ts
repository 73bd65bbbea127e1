// Chronos' REST API locked (HTTP basic and bearer credentials, per-job
// ACLs): first an in-process Chronos on a LocalCluster whose jobs run for
// real, then two `mesocosm chronos` processes on ZooKeeper started with
// --http_credentials_file and --http_acls: the follower authenticates before
// its 307, the client resends its credentials to the leader, which applies
// the ACLs; no secret may reach a log line.
import { expect } from 'chai';
import { Chronos, type AclRule } from '@mesocosm/chronos';
import { silentLogger } from '@mesocosm/framework-sdk';
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
  { principal: 'alice', actions: ['*'], paths: ['team-a-*'] },
  { principal: 'bob', actions: ['view', 'create', 'run'], paths: ['team-b-*'] },
];

/** A job far in the future (it runs only when asked). */
const job = (name: string): Record<string, unknown> => ({
  name,
  command: 'echo ran',
  schedule: 'R/2099-01-01T00:00:00Z/P1D',
  cpus: 0.05,
  mem: 16,
});

function names(json: unknown): string[] {
  return (json as { name: string }[]).map((j) => j.name).sort();
}

describe('Chronos REST API authentication and ACLs on a LocalCluster', function () {
  this.timeout(180_000);
  const p = principals();
  const alice = basic('alice', p.alice);
  const bob = basic('bob', p.bob);
  let cluster: LocalCluster;
  let chronos: Chronos;
  let api: string;

  before(async () => {
    cluster = await LocalCluster.start({ agents: 1 });
    await cluster.waitForAgents(1);
    chronos = await Chronos.start({
      master: cluster.masterGrpc,
      hostname: '127.0.0.1',
      httpHost: '127.0.0.1',
      httpPort: 0,
      frameworkName: 'chronos-auth-it',
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
    api = `${chronos.url}/v1/scheduler`;
    await waitFor(() => chronos.isLeader && chronos.service.isLeader(), { timeoutMs: 20_000, message: 'leading' });
  });
  after(async () => {
    await chronos?.stop();
    await cluster?.stop();
  });

  it('answers 401 without or with wrong credentials, 200 with the right ones; /ping stays open', async () => {
    for (const headers of [{}, basic('bob', p.alice), bearer(p.alice)]) {
      const res = await request('GET', `${api}/jobs`, headers);
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Basic realm="chronos"');
      expect((res.json as { message: string }).message).to.match(/^unauthorized/);
    }
    expect((await request('GET', `${api}/jobs`, alice)).status).to.equal(200);
    expect((await request('GET', `${api}/jobs`, bearer(p.bobToken))).status).to.equal(200);
    expect((await request('GET', `${chronos.url}/ping`)).status).to.equal(200);
  });

  it('alice creates and runs a team-a job on the cluster; a team-b job is 403 and is not created', async () => {
    expect((await request('POST', `${api}/iso8601`, alice, job('team-a-report'))).status).to.equal(204);
    const denied = await request('POST', `${api}/iso8601`, alice, job('team-b-sync'));
    expect(denied.status).to.equal(403);
    expect((denied.json as { message: string }).message).to.contain(
      "principal 'alice' may not create job 'team-b-sync'",
    );
    expect(chronos.service.getJob('team-b-sync')).to.equal(undefined);
    expect((await request('POST', `${api}/iso8601`, bob, job('team-b-sync'))).status).to.equal(204);
    expect((await request('PUT', `${api}/job/team-a-report`, alice)).status).to.equal(204);
    await waitFor(() => chronos.service.getJob('team-a-report')?.['successCount'] === 1, {
      timeoutMs: 60_000,
      message: 'the run of team-a-report succeeded on the cluster',
    });
  });

  it('lists, searches and draws only the jobs each principal may view', async () => {
    expect(names((await request('GET', `${api}/jobs`, alice)).json)).to.deep.equal(['team-a-report']);
    expect(names((await request('GET', `${api}/jobs/search?name=team`, bob)).json)).to.deep.equal(['team-b-sync']);
    expect((await request('GET', `${api}/graph/csv`, bob)).text).to.match(/^node,team-b-sync,/);
    expect((await request('GET', `${api}/graph/csv`, bob)).text).not.to.contain('team-a');
  });

  it('runs, kills and deletes only the jobs the rules allow', async () => {
    expect((await request('PUT', `${api}/job/team-a-report`, bob)).status).to.equal(403);
    expect((await request('DELETE', `${api}/task/kill/team-b-sync`, bob)).status).to.equal(403);
    expect((await request('DELETE', `${api}/job/team-b-sync`, bob)).status).to.equal(403);
    expect((await request('DELETE', `${api}/job/team-b-sync`, alice)).status).to.equal(403);
    expect(chronos.service.getJob('team-b-sync')).not.to.equal(undefined);
    expect((await request('DELETE', `${api}/job/team-a-report`, alice)).status).to.equal(204);
  });
});

describe('two `mesocosm chronos` processes with --http_credentials_file and --http_acls', function () {
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

  it('the follower authenticates before its 307; resent credentials meet the ACLs at the leader; no secret is logged', async () => {
    const p = principals();
    const files = await writeAuthFiles(p, RULES);
    const { connectString } = await sharedZooKeeper();
    cluster = await LocalCluster.start({ agents: 1 });
    daemons = await startLoggedPair('chronos', {
      master: cluster.masterGrpc,
      zkConnect: connectString,
      args: ['--http_credentials_file', files.credentials, '--http_acls', files.acls],
    });
    const alice = basic('alice', p.alice);
    const urls = daemons.map((d) => d.daemon.ready.http);
    const leaderHost = await waitFor(
      async () => ((await request('GET', `${urls[0]}/leader`, alice)).json as { leader?: string } | undefined)?.leader,
      { timeoutMs: 30_000, message: 'a leader known to chronos 1' },
    );
    const follower = urls.find((u) => new URL(u).host !== leaderHost) ?? '';
    expect(follower).not.to.equal('');
    // The leader subscribed: a write is answered there, not 503.
    await waitFor(async () => (await request('GET', `http://${leaderHost}/v1/scheduler/jobs`, alice)).status === 200, {
      timeoutMs: 30_000,
      message: 'the leader answers',
    });

    const anonymous = await request('POST', `${follower}/v1/scheduler/iso8601`, {}, job('team-a-nightly'));
    expect(anonymous.status).to.equal(401);
    expect(anonymous.headers.get('location')).to.equal(null);
    const send = async (headers: Record<string, string>, body: unknown): Promise<number> => {
      const redirect = await request('POST', `${follower}/v1/scheduler/iso8601`, headers, body);
      expect(redirect.status).to.equal(307);
      const location = redirect.headers.get('location') ?? '';
      expect(new URL(location).host).to.equal(leaderHost);
      // The client resends its credentials to the leader (curl --location-trusted does).
      return (await request('POST', location, headers, body)).status;
    };
    expect(await send(alice, job('team-a-nightly'))).to.equal(204);
    expect(await send(alice, job('team-b-nightly'))).to.equal(403);
    expect(await send(bearer(p.bobToken), job('team-b-nightly'))).to.equal(204);
    const leaderApi = `http://${leaderHost}/v1/scheduler`;
    expect(names((await request('GET', `${leaderApi}/jobs`, alice)).json)).to.deep.equal(['team-a-nightly']);
    expect(names((await request('GET', `${leaderApi}/jobs`, basic('bob', p.bob))).json)).to.deep.equal([
      'team-b-nightly',
    ]);

    const logs = allLines(daemons);
    expect(logs).to.contain('REST API authentication on');
    for (const secret of [p.alice, p.bob, p.bobToken]) expect(logs).not.to.contain(secret);
  });
});
