import { expect } from 'chai';
import type { MarathonHttp } from '../../src/api/index.js';
import type { FakeMarathonService } from './fake-service.js';
import { call, readEvents, startFake, waitFor } from './helpers.js';

describe('api: proxying to the leader', () => {
  let leader: { fake: FakeMarathonService; http: MarathonHttp };
  let follower: { fake: FakeMarathonService; http: MarathonHttp };

  beforeEach(async () => {
    leader = await startFake();
    follower = await startFake();
    follower.fake.leading = false;
    follower.fake.leader = leader.http.url;
  });
  afterEach(async () => {
    await follower.http.close();
    await leader.http.close();
  });

  it('forwards a GET and sets X-Marathon-Leader and X-Marathon-Via', async () => {
    leader.fake.apps.set('/web', { id: '/web' });
    const res = await call(follower.http.url, 'GET', '/v2/apps?embed=apps.tasks');
    expect(res.status).to.equal(200);
    expect((res.json as { apps: { id: string }[] }).apps.map((a) => a.id)).to.deep.equal(['/web']);
    expect(res.headers.get('x-marathon-leader')).to.equal(leader.http.url);
    expect(res.headers.get('x-marathon-via')).to.equal(`1.1 127.0.0.1:${follower.http.port}`);
    expect(leader.fake.callsOf('listApps')).to.have.length(1);
    expect(follower.fake.callsOf('listApps')).to.have.length(0);
  });

  it('forwards a POST with its body, and the leader’s status and headers come back', async () => {
    const res = await call(follower.http.url, 'POST', '/v2/apps?force=true', { id: 'web', cmd: 'sleep 9' });
    expect(res.status).to.equal(201);
    expect(res.headers.get('location')).to.equal('/v2/apps/web');
    expect(leader.fake.callsOf('createApp')).to.deep.equal([[{ id: 'web', cmd: 'sleep 9' }]]);
    const err = await call(follower.http.url, 'POST', '/v2/apps', { cmd: 'no id' });
    expect(err.status).to.equal(422);
  });

  it('refuses a body over 1 MB itself (413) and relays the leader’s 400 for bad JSON', async () => {
    const big = await call(follower.http.url, 'POST', '/v2/apps', JSON.stringify({ cmd: 'x'.repeat(1024 * 1024) }));
    expect(big.status).to.equal(413);
    expect(leader.fake.calls).to.have.length(0);
    const bad = await call(follower.http.url, 'POST', '/v2/apps', '{"id": web}');
    expect(bad.status).to.equal(400);
    expect(bad.headers.get('x-marathon-via')).to.equal(`1.1 127.0.0.1:${follower.http.port}`);
    expect((bad.json as { message: string }).message).to.match(/Invalid JSON/);
  });

  it('streams the leader’s events through the follower', async () => {
    const reader = await readEvents(follower.http.url, '/v2/events?event_type=deployment_success');
    expect(reader.headers['x-marathon-leader']).to.equal(leader.http.url);
    await waitFor('the leader to see the subscription', () => leader.fake.subscriptions.size === 1);
    leader.fake.emit('status_update_event');
    leader.fake.emit('deployment_success', { id: 'd-9' });
    await waitFor('the proxied event', () => reader.frames.length === 1);
    expect(reader.frames[0]).to.deep.include({ id: '2', event: 'deployment_success' });
    reader.close();
    await waitFor('the leader-side stream to close with the client', () => leader.fake.subscriptions.size === 0);
  });

  it('ends a proxied stream when the leader’s stream ends', async () => {
    const reader = await readEvents(follower.http.url, '/v2/events');
    await waitFor('the leader to see the subscription', () => leader.fake.subscriptions.size === 1);
    leader.fake.loseLeadership(undefined);
    await waitFor('the proxied stream to end', () => reader.ended);
  });

  it('answers /ping and /v2/leader itself', async () => {
    expect((await call(follower.http.url, 'GET', '/ping')).headers.get('x-marathon-via')).to.equal(null);
    expect((await call(follower.http.url, 'GET', '/v2/leader')).json).to.deep.equal({
      leader: `127.0.0.1:${leader.http.port}`,
    });
  });

  it('answers 503 with a message when no leader is known', async () => {
    follower.fake.leader = undefined;
    const res = await call(follower.http.url, 'GET', '/v2/apps');
    expect(res.status).to.equal(503);
    expect((res.json as { message: string }).message).to.match(/leader/);
  });

  it('answers 502 on a proxy loop and when the leader cannot be reached', async () => {
    leader.fake.leading = false;
    leader.fake.leader = follower.http.url;
    const loop = await call(follower.http.url, 'GET', '/v2/apps');
    expect(loop.status).to.equal(502);
    expect((loop.json as { message: string }).message).to.match(/loop/);
    await leader.http.close();
    const gone = await call(follower.http.url, 'GET', '/v2/apps');
    expect(gone.status).to.equal(502);
    expect((gone.json as { message: string }).message).to.match(/could not be reached/);
  });

  it('re-sends to the leader a change refused with NotLeaderError mid-request', async () => {
    const { NotLeaderError } = await import('@mesocosm/framework-sdk/ha');
    leader.fake.failNext = new NotLeaderError('update app', follower.http.url);
    follower.fake.leading = true;
    follower.fake.leader = undefined;
    leader.fake.apps.set('/web', { id: '/web' });
    // The request reaches the (former) leader, which then names the follower as the new leader.
    const res = await call(leader.http.url, 'PUT', '/v2/apps/web', { cmd: 'y' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-marathon-leader')).to.equal(follower.http.url);
    expect(follower.fake.callsOf('updateApp')).to.deep.equal([['/web', { cmd: 'y' }, { force: false, partial: true }]]);
  });
});
