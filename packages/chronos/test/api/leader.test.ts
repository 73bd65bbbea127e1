import { expect } from 'chai';
import { NotLeaderError } from '@mesocosm/framework-sdk/ha';
import { startChronosHttp, type ChronosHttp } from '../../src/api/index.js';
import { FakeChronosService } from './fake-service.js';
import { call } from './http-client.js';

describe('chronos API leadership', () => {
  let leaderService: FakeChronosService;
  let followerService: FakeChronosService;
  let leader: ChronosHttp;
  let follower: ChronosHttp;

  beforeEach(async () => {
    leaderService = new FakeChronosService();
    followerService = new FakeChronosService();
    followerService.leader = false;
    leader = await startChronosHttp(leaderService, { host: '127.0.0.1', port: 0 });
    follower = await startChronosHttp(followerService, { host: '127.0.0.1', port: 0 });
    followerService.leaderAt = leader.url;
  });
  afterEach(async () => {
    await follower.close();
    await leader.close();
  });

  it('redirects API calls with 307 to the same path and query on the leader', async () => {
    for (const [method, path] of [
      ['GET', '/v1/scheduler/jobs/search?name=ext&limit=2'],
      ['PUT', '/scheduler/job/extract?arguments=a&arguments=b'],
      ['DELETE', '/v1/scheduler/task/kill/extract'],
      ['GET', '/v1/scheduler/graph/csv'],
    ] as const) {
      const res = await call(`${follower.url}${path}`, { method });
      expect(res.status, path).to.equal(307);
      expect(res.headers.get('location')).to.equal(`${leader.url}${path}`);
    }
    expect(followerService.calls).to.have.length(0);
  });

  it('accepts a leader URL with a trailing slash', async () => {
    followerService.leaderAt = `${leader.url}/`;
    const res = await call(`${follower.url}/v1/scheduler/jobs`);
    expect(res.headers.get('location')).to.equal(`${leader.url}/v1/scheduler/jobs`);
  });

  it('keeps the method and body of a POST through the redirect', async () => {
    const job = { name: 'nightly', command: 'backup.sh', schedule: 'R/2030-01-01T02:00:00Z/P1D' };
    const res = await call(`${follower.url}/v1/scheduler/iso8601`, {
      method: 'POST',
      body: JSON.stringify(job),
      redirect: 'follow',
    });
    expect(res.status).to.equal(204);
    expect(leaderService.callsOf('putScheduledJob').map((c) => c.args[0])).to.deep.equal([job]);
    expect(followerService.calls).to.have.length(0);
  });

  it('answers 503 with a message while no leader is known', async () => {
    followerService.leaderAt = undefined;
    const res = await call(`${follower.url}/v1/scheduler/iso8601`, { method: 'POST', body: '{}' });
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.equal('2');
    expect(res.json<{ message: string }>().message).to.contain('no leader is elected yet');
  });

  it('never redirects to itself', async () => {
    followerService.leaderAt = follower.url;
    expect((await call(`${follower.url}/v1/scheduler/jobs`)).status).to.equal(503);
  });

  it('redirects when the service loses leadership during a call', async () => {
    leaderService.failNext = new NotLeaderError('put job', 'http://10.0.0.9:4400');
    const res = await call(`${leader.url}/v1/scheduler/iso8601?x=1`, { method: 'PUT', body: '{"name":"a"}' });
    expect(res.status).to.equal(307);
    expect(res.headers.get('location')).to.equal('http://10.0.0.9:4400/v1/scheduler/iso8601?x=1');
    leaderService.failNext = new NotLeaderError('put job', undefined);
    expect((await call(`${leader.url}/v1/scheduler/iso8601`, { method: 'PUT', body: '{}' })).status).to.equal(503);
  });

  it('answers /ping locally, and /leader with the leader host:port', async () => {
    const ping = await call(`${follower.url}/ping`);
    expect([ping.status, ping.text]).to.deep.equal([200, 'pong\n']);
    const who = await call(`${follower.url}/leader`);
    expect(who.json()).to.deep.equal({ leader: new URL(leader.url).host });
    expect((await call(`${leader.url}/leader`)).json()).to.deep.equal({ leader: new URL(leader.url).host });
    followerService.leaderAt = undefined;
    expect((await call(`${follower.url}/leader`)).status).to.equal(503);
  });

  it('sends the page to the leader, and serves it itself when none is known', async () => {
    const res = await call(`${follower.url}/`);
    expect(res.status).to.equal(307);
    expect(res.headers.get('location')).to.equal(`${leader.url}/`);
    followerService.leaderAt = undefined;
    const page = await call(`${follower.url}/`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
  });
});
