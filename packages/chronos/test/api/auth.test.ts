// Chronos' REST API authentication (HTTP basic, bearer) and per-job ACLs:
// who may list, create, change, run, kill and delete which job; refusals are
// 403s in the API's {message} shape and change nothing; a follower
// authenticates before its 307, and the client resends its credentials.
import { expect } from 'chai';
import { startChronosHttp, type ApiAuthOptions, type ChronosHttp } from '../../src/api/index.js';
import type { AclRule } from '../../src/index.js';
import { FakeChronosService } from './fake-service.js';
import { call } from './http-client.js';

const RULES: AclRule[] = [
  { principal: 'alice', actions: ['*'], paths: ['team-a-*', 'extract'] },
  { principal: 'bob', actions: ['view', 'run'], paths: ['team-b-*', 'load'] },
];

function auth(acls: readonly AclRule[] | null = RULES): ApiAuthOptions {
  return {
    credentials: [
      { principal: 'alice', secret: 'alice-pw' },
      { principal: 'bob', secret: 'bob-pw' },
    ],
    tokens: [{ principal: 'bob', token: 'bob-token' }],
    ...(acls === null ? {} : { acls }),
  };
}

function as(user: 'alice' | 'bob', password = `${user}-pw`): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

const JOBS = [
  { name: 'team-a-backup', command: 'backup.sh' },
  { name: 'team-a-report', command: 'report.sh' },
  { name: 'team-a-vacuum', command: 'vacuum.sh' },
  { name: 'team-b-sync', command: 'sync.sh' },
  { name: 'extract', command: 'extract.sh' },
  { name: 'load', command: 'load.sh', parents: ['extract'] },
];

describe('chronos api auth: authentication', () => {
  let service: FakeChronosService;
  let http: ChronosHttp;
  beforeEach(async () => {
    service = new FakeChronosService();
    http = await startChronosHttp(service, { host: '127.0.0.1', port: 0, auth: auth(null) });
  });
  afterEach(() => http.close());

  it('answers 401 with a Basic challenge and a JSON message without or with wrong credentials', async () => {
    for (const headers of [{}, as('alice', 'nope'), as('bob', 'alice-pw'), { authorization: 'Bearer nope' }]) {
      const res = await call(`${http.url}/v1/scheduler/jobs`, { headers });
      expect(res.status, JSON.stringify(headers)).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Basic realm="chronos"');
      expect(res.json<{ message: string }>().message).to.match(/^unauthorized: /);
    }
    expect(service.calls).to.deep.equal([]);
  });

  it('lets the right password or token in; /ping stays open; the page and /leader need credentials', async () => {
    expect((await call(`${http.url}/v1/scheduler/jobs`, { headers: as('alice') })).status).to.equal(200);
    expect(
      (await call(`${http.url}/scheduler/jobs`, { headers: { authorization: 'Bearer bob-token' } })).status,
    ).to.equal(200);
    expect((await call(`${http.url}/ping`)).status).to.equal(200);
    expect((await call(`${http.url}/`)).status).to.equal(401);
    expect((await call(`${http.url}/leader`)).status).to.equal(401);
    expect((await call(`${http.url}/`, { headers: as('bob') })).status).to.equal(200);
  });

  it('refuses an unauthenticated job before reading it', async () => {
    const res = await call(`${http.url}/v1/scheduler/iso8601`, {
      method: 'POST',
      body: JSON.stringify({ name: 'x', command: 'true', schedule: 'R/2030-01-01T00:00:00Z/PT1H' }),
    });
    expect(res.status).to.equal(401);
    expect(service.callsOf('putScheduledJob')).to.deep.equal([]);
  });
});

describe('chronos api auth: per-job ACLs', () => {
  let service: FakeChronosService;
  let http: ChronosHttp;
  const api = (path: string): string => `${http.url}/v1/scheduler/${path}`;
  const names = (json: unknown): string[] => (json as { name: string }[]).map((j) => j.name);

  beforeEach(async () => {
    service = new FakeChronosService();
    service.jobs = JOBS.map((j) => ({ ...j }));
    service.csv = 'node,extract,success,idle\nnode,load,fresh,idle\nnode,team-b-sync,fresh,idle\nlink,extract,load\n';
    http = await startChronosHttp(service, { host: '127.0.0.1', port: 0, auth: auth() });
  });
  afterEach(() => http.close());

  it('lists and searches only the jobs the principal may view (pages counted after filtering)', async () => {
    expect(names((await call(api('jobs'), { headers: as('alice') })).json())).to.deep.equal([
      'team-a-backup',
      'team-a-report',
      'team-a-vacuum',
      'extract',
    ]);
    expect(names((await call(api('jobs'), { headers: as('bob') })).json())).to.deep.equal(['team-b-sync', 'load']);
    const page = await call(api('jobs/search?name=team&offset=1&limit=2'), { headers: as('alice') });
    expect(names(page.json())).to.deep.equal(['team-a-report', 'team-a-vacuum']);
    expect((await call(api('job/team-b-sync'), { headers: as('alice') })).status).to.equal(403);
    expect((await call(api('job/stat/team-b-sync'), { headers: as('alice') })).status).to.equal(403);
    // Whether a job exists is not told to those who may not view its name.
    expect((await call(api('job/team-b-none'), { headers: as('alice') })).status).to.equal(403);
    expect((await call(api('job/team-a-none'), { headers: as('alice') })).status).to.equal(404);
  });

  it('draws only the visible jobs of the graph, and links between two of them', async () => {
    expect((await call(api('graph/csv'), { headers: as('alice') })).text).to.equal('node,extract,success,idle\n');
    expect((await call(api('graph/csv'), { headers: as('bob') })).text).to.equal(
      'node,load,fresh,idle\nnode,team-b-sync,fresh,idle\n',
    );
    const json = (await call(api('graph/json'), { headers: as('alice') })).json<{
      nodes: unknown[];
      edges: unknown[];
    }>();
    expect(json).to.deep.equal({ nodes: [{ name: 'extract', lastStatus: 'success', state: 'idle' }], edges: [] });
    const dot = (await call(api('graph/dot'), { headers: as('bob') })).text;
    expect(dot).to.contain('"load"');
    expect(dot).not.to.contain('extract');
  });

  it('alice creates team-a jobs and gets 403 naming a team-b job; nothing reaches the engine', async () => {
    const post = (body: unknown, path = 'iso8601') =>
      call(api(path), { method: 'POST', body: JSON.stringify(body), headers: as('alice') });
    const schedule = 'R/2030-01-01T00:00:00Z/PT1H';
    expect((await post({ name: 'team-a-new', command: 'true', schedule })).status).to.equal(204);
    const denied = await post({ name: 'team-b-new', command: 'true', schedule });
    expect(denied.status).to.equal(403);
    expect(denied.json()).to.deep.equal({
      message: "principal 'alice' may not create job 'team-b-new' (ask an operator for a rule in the --http_acls file)",
    });
    // A job may only follow parents its author may view.
    const dependent = await post({ name: 'team-a-dep', command: 'true', parents: ['team-b-sync'] }, 'dependency');
    expect(dependent.status).to.equal(403);
    expect(dependent.json<{ message: string }>().message).to.contain("may not view job 'team-b-sync'");
    expect(service.callsOf('putScheduledJob').map((c) => (c.args[0] as { name: string }).name)).to.deep.equal([
      'team-a-new',
    ]);
    expect(service.callsOf('putDependentJob')).to.deep.equal([]);
    // bob may view team-b-sync but not change it: replacing an existing job is an update.
    const replace = await call(api('iso8601'), {
      method: 'PUT',
      body: JSON.stringify({ name: 'team-b-sync', command: 'true', schedule }),
      headers: as('bob'),
    });
    expect(replace.status).to.equal(403);
    expect(replace.json<{ message: string }>().message).to.contain("'bob' may not update job 'team-b-sync'");
  });

  it('runs, kills and deletes by job name', async () => {
    const req = (method: string, path: string, user: 'alice' | 'bob') => call(api(path), { method, headers: as(user) });
    expect((await req('PUT', 'job/team-b-sync', 'bob')).status).to.equal(204);
    expect((await req('PUT', 'job/team-b-sync', 'alice')).status).to.equal(403);
    expect((await req('DELETE', 'task/kill/team-b-sync', 'bob')).status).to.equal(403);
    expect((await req('DELETE', 'job/team-b-sync', 'bob')).status).to.equal(403);
    expect((await req('DELETE', 'job/team-b-sync', 'alice')).status).to.equal(403);
    expect((await req('DELETE', 'task/kill/extract', 'alice')).status).to.equal(204);
    expect((await req('DELETE', 'job/extract', 'alice')).status).to.equal(204);
    expect(service.calls.filter((c) => c.method !== 'getJob').map((c) => [c.method, c.args[0]])).to.deep.equal([
      ['runJob', 'team-b-sync'],
      ['killJobTasks', 'extract'],
      ['deleteJob', 'extract'],
    ]);
  });
});

describe('chronos api auth: a follower', () => {
  it('authenticates before its 307; the client resends its credentials and the leader applies the ACLs', async () => {
    const leaderService = new FakeChronosService();
    leaderService.jobs = JOBS.map((j) => ({ ...j }));
    const followerService = new FakeChronosService();
    followerService.leader = false;
    const leader = await startChronosHttp(leaderService, { host: '127.0.0.1', port: 0, auth: auth() });
    const follower = await startChronosHttp(followerService, { host: '127.0.0.1', port: 0, auth: auth() });
    followerService.leaderAt = leader.url;
    try {
      const anonymous = await call(`${follower.url}/v1/scheduler/job/team-b-sync`, { method: 'PUT' });
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('location')).to.equal(null);
      for (const [user, status] of [
        ['bob', 204],
        ['alice', 403],
      ] as const) {
        const redirect = await call(`${follower.url}/v1/scheduler/job/team-b-sync`, {
          method: 'PUT',
          headers: as(user),
        });
        expect(redirect.status).to.equal(307);
        const location = redirect.headers.get('location') ?? '';
        expect(location).to.equal(`${leader.url}/v1/scheduler/job/team-b-sync`);
        // As curl --location-trusted does: the same credentials to the leader.
        const resent = await call(location, { method: 'PUT', headers: as(user) });
        expect(resent.status, user).to.equal(status);
      }
      expect(leaderService.callsOf('runJob').map((c) => c.args[0])).to.deep.equal(['team-b-sync']);
      expect(followerService.calls).to.deep.equal([]);
    } finally {
      await follower.close();
      await leader.close();
    }
  });
});
