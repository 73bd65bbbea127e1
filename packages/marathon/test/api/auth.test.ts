// The REST API's authentication (HTTP basic, bearer) and per-path ACLs, over
// a real engine (fake cluster): who may create, change, list, kill and watch
// what; refusals are 403s naming the first id refused, and change nothing.
import { expect } from 'chai';
import type { MarathonHttp } from '../../src/api/index.js';
import type { Harness } from '../engine/harness.js';
import { app, as, authOptions, basic, startEngineApi } from './auth-helpers.js';
import { call, readEvents, startFake, waitFor } from './helpers.js';

type Apps = { apps: { id: string }[] };

function ids(json: unknown): string[] {
  return (json as Apps).apps.map((a) => a.id).sort();
}

describe('api auth: authentication', () => {
  let h: Harness;
  let http: MarathonHttp;

  beforeEach(async () => ({ h, http } = await startEngineApi(authOptions(null))));
  afterEach(async () => {
    await http.close();
    h.stop();
  });

  it('answers 401 with a Basic challenge and a JSON body without or with wrong credentials', async () => {
    for (const headers of [{}, basic('alice', 'wrong'), basic('mallory', 'alice-pw'), { authorization: 'Digest x' }]) {
      const res = await call(http.url, 'GET', '/v2/apps', undefined, headers);
      expect(res.status, JSON.stringify(headers)).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Basic realm="Mesosphere"');
      expect((res.json as { message: string }).message).to.match(/^Unauthorized: /);
    }
    // A wrong password and an unknown user read the same.
    const wrong = await call(http.url, 'GET', '/v2/apps', undefined, basic('alice', 'wrong'));
    const unknown = await call(http.url, 'GET', '/v2/apps', undefined, basic('mallory', 'x'));
    expect(wrong.json).to.deep.equal(unknown.json);
  });

  it('lets the right password or bearer token in (a password may hold a colon)', async () => {
    expect((await call(http.url, 'GET', '/v2/apps', undefined, as('alice'))).status).to.equal(200);
    expect((await call(http.url, 'GET', '/v2/apps', undefined, as('bob'))).status).to.equal(200);
    const token = await call(http.url, 'GET', '/v2/info', undefined, { authorization: 'Bearer bob-token-123' });
    expect(token.status).to.equal(200);
    const badToken = await call(http.url, 'GET', '/v2/info', undefined, { authorization: 'Bearer bob-token-124' });
    expect(badToken.status).to.equal(401);
  });

  it('keeps /ping open and locks the page, /v2/leader and the event stream', async () => {
    expect((await call(http.url, 'GET', '/ping')).status).to.equal(200);
    for (const path of ['/', '/ui/app.js', '/v2/leader', '/v2/events', '/v2/info']) {
      expect((await call(http.url, 'GET', path)).status, path).to.equal(401);
    }
    const page = await call(http.url, 'GET', '/', undefined, as('alice'));
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/text\/html/);
  });

  it('refuses an unauthenticated change before it reaches the engine, and the connection stays usable', async () => {
    const res = await call(http.url, 'POST', '/v2/apps', app('/web'));
    expect(res.status).to.equal(401);
    expect(h.service.listApps()).to.deep.equal([]);
    const ok = await call(http.url, 'POST', '/v2/apps', app('/web'), as('alice'));
    expect(ok.status).to.equal(201);
  });

  it('without ACLs, every authenticated principal may do everything', async () => {
    expect((await call(http.url, 'POST', '/v2/apps', app('/team-b/y'), as('alice'))).status).to.equal(201);
    expect(ids((await call(http.url, 'GET', '/v2/apps', undefined, as('bob'))).json)).to.deep.equal(['/team-b/y']);
  });
});

describe('api auth: per-path ACLs', () => {
  let h: Harness;
  let http: MarathonHttp;

  const post = (user: 'alice' | 'bob' | 'admin', path: string, body: unknown) =>
    call(http.url, 'POST', path, body, as(user));
  const get = (user: 'alice' | 'bob' | 'admin', path: string) => call(http.url, 'GET', path, undefined, as(user));

  beforeEach(async () => {
    ({ h, http } = await startEngineApi());
    for (const id of ['/team-a/x', '/team-b/y', '/other/z']) {
      expect((await post('admin', '/v2/apps', app(id))).status).to.equal(201);
    }
    await h.settle();
  });
  afterEach(async () => {
    await http.close();
    h.stop();
  });

  it('alice creates under /team-a and gets 403 naming the id under /team-b; nothing is created', async () => {
    expect((await post('alice', '/v2/apps', app('/team-a/new'))).status).to.equal(201);
    const denied = await post('alice', '/v2/apps', app('/team-b/new'));
    expect(denied.status).to.equal(403);
    expect((denied.json as { message: string }).message).to.equal(
      "Not Authorized to perform this action! Principal 'alice' may not create '/team-b/new' " +
        '(ask an operator for a rule in the --http_acls file)',
    );
    expect(h.service.getApp('/team-b/new')).to.equal(undefined);
    // A relative id resolves against / before the check.
    expect((await post('alice', '/v2/apps', app('team-b/rel'))).status).to.equal(403);
  });

  it('lists only the apps, tasks, groups and queue items the principal may view', async () => {
    expect(ids((await get('alice', '/v2/apps')).json)).to.deep.equal(['/team-a/x']);
    expect(ids((await get('bob', '/v2/apps')).json)).to.deep.equal(['/team-b/y']);
    expect(ids((await get('admin', '/v2/apps')).json)).to.deep.equal(['/other/z', '/team-a/x', '/team-b/y']);
    const root = (await get('alice', '/v2/groups')).json as { groups: { id: string; apps: { id: string }[] }[] };
    expect(root.groups.map((g) => g.id)).to.deep.equal(['/team-a']);
    expect(root.groups[0]?.apps.map((a) => a.id)).to.deep.equal(['/team-a/x']);
    expect((await get('alice', '/v2/groups/team-b')).status).to.equal(403);
    h.launchAll();
    await h.runAll();
    const tasks = (await get('bob', '/v2/tasks')).json as { tasks: { appId: string }[] };
    expect(tasks.tasks.map((t) => t.appId)).to.deep.equal(['/team-b/y']);
    const text = await call(http.url, 'GET', '/v2/tasks', undefined, { ...as('bob'), accept: 'text/plain' });
    expect(text.text).to.match(/^team-b_y/);
    expect(text.text).not.to.match(/team-a|other/);
    expect((await get('bob', '/v2/apps/team-a/x')).status).to.equal(403);
    expect((await get('bob', '/v2/apps/team-a/x/tasks')).status).to.equal(403);
    expect((await get('bob', '/v2/apps/team-a/x/versions')).status).to.equal(403);
    // Whether an app exists is not told to those who may not view its path.
    expect((await get('bob', '/v2/apps/team-a/nothing-here')).status).to.equal(403);
    expect((await get('alice', '/v2/apps/team-a/nothing-here')).status).to.equal(404);
  });

  it('a group body partly outside the rules is refused whole (403 naming the first id) and nothing changes', async () => {
    const group = { id: '/shop', apps: [app('front'), app('back')] };
    const res = await post('alice', '/v2/groups', group);
    expect(res.status).to.equal(403);
    expect((res.json as { message: string }).message).to.contain("may not create '/shop/back'");
    expect(h.service.getGroup('/shop')).to.equal(undefined);
    expect(h.service.deployments().filter((d) => String(d['affectedApps']).includes('/shop'))).to.deep.equal([]);
    const allowed = await post('alice', '/v2/groups', { id: '/shop', apps: [app('front')] });
    expect(allowed.status).to.equal(201);
    expect(h.service.getApp('/shop/front')).not.to.equal(undefined);
  });

  it('a PUT of a group that drops an app needs delete on it; DELETE of a group needs delete on every app', async () => {
    await post('admin', '/v2/apps', app('/team-a/sub/keep'));
    await h.cycle();
    const drop = await call(http.url, 'PUT', '/v2/groups/team-a', { id: '/team-a', apps: [app('x')] }, as('bob'));
    expect(drop.status).to.equal(403);
    // alice may delete under /team-a: the PUT replaces the group (dropping /team-a/sub/keep).
    const put = await call(http.url, 'PUT', '/v2/groups/team-a', { id: '/team-a', apps: [app('x')] }, as('alice'));
    expect(put.status).to.equal(200);
    expect(h.service.getApp('/team-a/sub/keep')).to.equal(undefined);
    const aliceDelete = await call(http.url, 'DELETE', '/v2/groups/shop', undefined, as('alice'));
    expect(aliceDelete.status).to.equal(403);
    expect((await call(http.url, 'DELETE', '/v2/groups/team-b', undefined, as('alice'))).status).to.equal(403);
    expect(h.service.getApp('/team-b/y')).not.to.equal(undefined);
  });

  it('updates, restarts, deletes and delay resets are checked on the app id', async () => {
    await h.cycle();
    const put = (user: 'alice' | 'bob', path: string) => call(http.url, 'PUT', path, { cmd: 'sleep 9' }, as(user));
    expect((await put('alice', '/v2/apps/team-a/x')).status).to.equal(200);
    expect((await put('bob', '/v2/apps/team-a/x')).status).to.equal(403);
    // A PUT of an unknown id creates it: bob has no create under /team-b.
    expect((await put('bob', '/v2/apps/team-b/fresh')).status).to.equal(403);
    const bulk = await call(
      http.url,
      'PATCH',
      '/v2/apps',
      [
        { id: '/team-a/x', instances: 2 },
        { id: '/team-b/y', instances: 2 },
      ],
      as('alice'),
    );
    expect(bulk.status).to.equal(403);
    expect((bulk.json as { message: string }).message).to.contain("may not update '/team-b/y'");
    expect((await post('alice', '/v2/apps/team-b/y/restart', {})).status).to.equal(403);
    expect((await call(http.url, 'DELETE', '/v2/apps/team-b/y', undefined, as('alice'))).status).to.equal(403);
    expect((await call(http.url, 'DELETE', '/v2/queue/team-b/y/delay', undefined, as('alice'))).status).to.equal(403);
    expect((await call(http.url, 'DELETE', '/v2/apps/team-a/x?force=true', undefined, as('alice'))).status).to.equal(
      200,
    );
  });

  it('kills only the tasks of apps the principal may kill, all or nothing', async () => {
    h.launchAll();
    await h.runAll();
    const taskOf = (appId: string): string => String(h.service.appTasks(appId)?.[0]?.['id']);
    const [a, b] = [taskOf('/team-a/x'), taskOf('/team-b/y')];
    const both = await post('bob', '/v2/tasks/delete', { ids: [b, a] });
    expect(both.status).to.equal(403);
    expect((both.json as { message: string }).message).to.contain("may not kill '/team-a/x'");
    expect(h.cluster.kills).to.deep.equal([]);
    const single = await call(http.url, 'DELETE', `/v2/apps/team-a/x/tasks/${a}`, undefined, as('bob'));
    expect(single.status).to.equal(403);
    expect(h.cluster.kills).to.deep.equal([]);
    // bob may kill under /team-b, but not scale it down (that is an update).
    expect((await post('bob', '/v2/tasks/delete?scale=true', { ids: [b] })).status).to.equal(403);
    expect((await post('bob', '/v2/tasks/delete', { ids: [b] })).status).to.equal(200);
    expect(h.cluster.kills.map((k) => k.taskId)).to.deep.equal([b]);
  });

  it('shows and cancels only deployments of apps the principal may update', async () => {
    const listed = async (user: 'alice' | 'bob' | 'admin'): Promise<string[][]> =>
      ((await get(user, '/v2/deployments')).json as { affectedApps: string[] }[]).map((d) => d.affectedApps);
    expect(await listed('admin')).to.have.length(3);
    expect(await listed('alice')).to.deep.equal([['/team-a/x']]);
    // bob may view /team-b but not update it: no deployment is his to manage.
    expect(await listed('bob')).to.deep.equal([]);
    const other = h.service.deployments().find((d) => String(d['affectedApps']) === '/team-b/y');
    const cancel = await call(http.url, 'DELETE', `/v2/deployments/${String(other?.['id'])}`, undefined, as('alice'));
    expect(cancel.status).to.equal(403);
    expect(h.service.deployments()).to.have.length(3);
  });

  it('streams only the events about apps the principal may view, plans trimmed to them', async () => {
    const reader = await readEvents(http.url, '/v2/events', as('alice'));
    expect(reader.status).to.equal(200);
    await post('admin', '/v2/apps', app('/team-b/second'));
    await post('admin', '/v2/apps', app('/team-a/second'));
    await waitFor('alice’s events', () => reader.frames.some((f) => f.event === 'deployment_info'));
    await waitFor('alice’s api_post_event', () => reader.frames.some((f) => f.event === 'api_post_event'));
    // bob's deployment came first on the bus: had it been let through, it would be here by now.
    const plans = reader.frames
      .filter((f) => f.event === 'deployment_info')
      .map((f) => (f.data as { plan: { id: string } }).plan.id);
    expect(new Set(plans).size).to.equal(1);
    const text = JSON.stringify(reader.frames);
    expect(text).to.contain('/team-a/second');
    expect(text).not.to.contain('/team-b');
    expect(text).not.to.contain('/other');
    reader.close();
    const denied = await readEvents(http.url, '/v2/events');
    expect(denied.status).to.equal(401);
    denied.close();
  });
});

describe('api auth: a follower proxying to the leader', () => {
  it('authenticates itself, forwards the credentials, and the leader applies the ACLs', async () => {
    const { h, http: leader } = await startEngineApi();
    const { fake, http: follower } = await startFake({ auth: authOptions() });
    try {
      fake.leading = false;
      fake.leader = leader.url;
      const anonymous = await call(follower.url, 'GET', '/v2/apps');
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('x-marathon-via')).to.equal(null);
      const created = await call(follower.url, 'POST', '/v2/apps', app('/team-a/x'), as('alice'));
      expect(created.status).to.equal(201);
      expect(created.headers.get('x-marathon-leader')).to.equal(leader.url);
      const denied = await call(follower.url, 'POST', '/v2/apps', app('/team-b/y'), as('alice'));
      expect(denied.status).to.equal(403);
      expect((denied.json as { message: string }).message).to.contain("'/team-b/y'");
      await call(leader.url, 'POST', '/v2/apps', app('/team-b/y'), as('admin'));
      expect(ids((await call(follower.url, 'GET', '/v2/apps', undefined, as('bob'))).json)).to.deep.equal([
        '/team-b/y',
      ]);
      const token = await call(follower.url, 'GET', '/v2/apps', undefined, { authorization: 'Bearer bob-token-123' });
      expect(ids(token.json)).to.deep.equal(['/team-b/y']);
      expect(fake.calls).to.deep.equal([]);
    } finally {
      await follower.close();
      await leader.close();
      h.stop();
    }
  });
});
