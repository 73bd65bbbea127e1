import { expect } from 'chai';
import type { MarathonHttp } from '../../src/api/index.js';
import type { FakeMarathonService } from './fake-service.js';
import { call, startFake } from './helpers.js';

describe('api: /v2/apps', () => {
  let fake: FakeMarathonService;
  let http: MarathonHttp;
  let base: string;

  beforeEach(async () => {
    ({ fake, http } = await startFake());
    base = http.url;
  });
  afterEach(() => http.close());

  it('creates an app: 201, the app with its deployment, Location and Marathon-Deployment-Id', async () => {
    const res = await call(base, 'POST', '/v2/apps', { id: 'web', cmd: 'sleep 100', instances: 2 });
    expect(res.status).to.equal(201);
    expect(res.json).to.deep.include({ id: '/web', cmd: 'sleep 100', instances: 2 });
    expect(res.headers.get('location')).to.equal('/v2/apps/web');
    expect(res.headers.get('marathon-deployment-id')).to.equal('d-1');
    expect(fake.callsOf('createApp')).to.deep.equal([[{ id: 'web', cmd: 'sleep 100', instances: 2 }]]);
  });

  it('answers 422 with every problem, 409 for an existing id', async () => {
    const invalid = await call(base, 'POST', '/v2/apps', { cmd: 'x' });
    expect(invalid.status).to.equal(422);
    expect(invalid.json).to.deep.equal({
      message: 'Object is not valid',
      details: [{ path: '/id', errors: ['is required'] }],
    });
    await call(base, 'POST', '/v2/apps', { id: '/web' });
    const dup = await call(base, 'POST', '/v2/apps', { id: '/web' });
    expect(dup.status).to.equal(409);
    expect(dup.json).to.deep.equal({ message: 'An app with id [/web] already exists.' });
  });

  it('lists apps with filters and embeds (counts and deployments always)', async () => {
    fake.apps.set('/prod/web', { id: '/prod/web' });
    fake.apps.set('/dev/db', { id: '/dev/db' });
    fake.taskList = [{ id: 't1', appId: '/prod/web', host: 'h1', ports: [31000] }];
    const res = await call(base, 'GET', '/v2/apps?embed=apps.tasks&id=prod&cmd=serve&label=tier==web');
    expect(res.status).to.equal(200);
    const apps = (res.json as { apps: { id: string; tasks: unknown[] }[] }).apps;
    expect(apps.map((a) => a.id)).to.deep.equal(['/prod/web']);
    expect(apps[0]?.tasks).to.have.length(1);
    const filter = fake.callsOf('listApps')[0]?.[0];
    expect(filter).to.deep.equal({
      id: 'prod',
      cmd: 'serve',
      label: 'tier==web',
      embed: ['counts', 'deployments', 'tasks'],
    });
  });

  it('maps every embed name Marathon knows, singular and plural, repeated or comma-separated', async () => {
    fake.apps.set('/web', { id: '/web' });
    await call(base, 'GET', '/v2/apps/web?embed=app.lastTaskFailure,app.readiness&embed=apps.taskStats&embed=nonsense');
    expect(fake.callsOf('getApp')[0]).to.deep.equal([
      '/web',
      ['counts', 'deployments', 'lastTaskFailure', 'readiness', 'taskStats'],
    ]);
  });

  it('gets one app by a nested id, 404 with a message when unknown', async () => {
    fake.apps.set('/prod/api/web', { id: '/prod/api/web', instances: 3 });
    const res = await call(base, 'GET', '/v2/apps/prod/api/web/');
    expect(res.status).to.equal(200);
    expect((res.json as { app: { id: string } }).app.id).to.equal('/prod/api/web');
    const missing = await call(base, 'GET', '/v2/apps/nope');
    expect(missing.status).to.equal(404);
    expect(missing.json).to.deep.equal({ message: "App '/nope' does not exist" });
  });

  it('PUT and PATCH one app pass partial and force through and answer the deployment', async () => {
    fake.apps.set('/web', { id: '/web', cmd: 'a', instances: 1 });
    const put = await call(base, 'PUT', '/v2/apps/web?force=true', { cmd: 'b' });
    expect(put.status).to.equal(200);
    expect(put.json).to.deep.equal({ version: '2026-01-01T00:00:00.000Z', deploymentId: 'd-1' });
    await call(base, 'PATCH', '/v2/apps/web', { instances: 4 });
    await call(base, 'PUT', '/v2/apps/web?partialUpdate=false', { cmd: 'c' });
    // PUT merges like PATCH unless ?partialUpdate=false (Marathon 1.5+).
    expect(fake.callsOf('updateApp')).to.deep.equal([
      ['/web', { cmd: 'b' }, { force: true, partial: true }],
      ['/web', { instances: 4 }, { force: false, partial: true }],
      ['/web', { cmd: 'c' }, { force: false, partial: false }],
    ]);
  });

  it('answers 409 with the locking deployments, and the same change passes with ?force=true', async () => {
    fake.apps.set('/web', { id: '/web' });
    fake.locked.add('/web');
    const locked = await call(base, 'PUT', '/v2/apps/web', { cmd: 'b' });
    expect(locked.status).to.equal(409);
    const body = locked.json as { message: string; deployments: { id: string }[] };
    expect(body.deployments).to.deep.equal([{ id: 'lock-/web' }]);
    expect(body.message).to.match(/force=true/);
    expect((await call(base, 'PUT', '/v2/apps/web?force=true', { cmd: 'b' })).status).to.equal(200);
    expect((await call(base, 'DELETE', '/v2/apps/web')).status).to.equal(409);
    expect((await call(base, 'POST', '/v2/apps/web/restart?force=true')).status).to.equal(200);
    expect(fake.callsOf('restartApp')).to.deep.equal([['/web', { force: true }]]);
  });

  it('bulk PUT and PATCH /v2/apps take arrays', async () => {
    const res = await call(base, 'PUT', '/v2/apps', [{ id: '/a' }, { id: '/b' }]);
    expect(res.status).to.equal(200);
    await call(base, 'PATCH', '/v2/apps?force=true', [{ id: '/a', instances: 2 }]);
    expect(fake.callsOf('updateApps')[1]).to.deep.equal([[{ id: '/a', instances: 2 }], { force: true, partial: true }]);
    expect((await call(base, 'PUT', '/v2/apps', { id: '/a' })).status).to.equal(422);
  });

  it('deletes an app; 404 when unknown', async () => {
    fake.apps.set('/g/web', { id: '/g/web' });
    const res = await call(base, 'DELETE', '/v2/apps/g/web');
    expect(res.status).to.equal(200);
    expect(res.json).to.have.keys('version', 'deploymentId');
    expect(fake.apps.has('/g/web')).to.equal(false);
    expect((await call(base, 'DELETE', '/v2/apps/g/web')).status).to.equal(404);
  });

  it('lists versions and reads one; 404 for an unknown app or version', async () => {
    fake.apps.set('/web', { id: '/web' });
    const list = await call(base, 'GET', '/v2/apps/web/versions');
    expect(list.json).to.deep.equal({ versions: ['2026-01-01T00:00:00.000Z'] });
    const one = await call(base, 'GET', '/v2/apps/web/versions/2026-01-01T00:00:00.000Z');
    expect(one.json).to.deep.equal({ id: '/web' });
    expect((await call(base, 'GET', '/v2/apps/web/versions/2020-01-01T00:00:00.000Z')).status).to.equal(404);
    expect((await call(base, 'GET', '/v2/apps/other/versions')).status).to.equal(404);
  });

  it("lists an app's tasks as JSON or text; 404 for an unknown app", async () => {
    fake.apps.set('/web', { id: '/web', portDefinitions: [{ port: 10000 }] });
    fake.taskList = [{ id: 't1', appId: '/web', host: 'h1', ports: [31001] }];
    const json = await call(base, 'GET', '/v2/apps/web/tasks');
    expect(json.json).to.deep.equal({ tasks: fake.taskList });
    const text = await call(base, 'GET', '/v2/apps/web/tasks', undefined, { accept: 'text/plain' });
    expect(text.headers.get('content-type')).to.match(/^text\/plain/);
    expect(text.text).to.equal('web\t10000\th1:31001\t\n');
    expect((await call(base, 'GET', '/v2/apps/nope/tasks')).status).to.equal(404);
  });

  it('kills the tasks of an app (by host), with scale and wipe passed through', async () => {
    fake.apps.set('/web', { id: '/web' });
    fake.taskList = [
      { id: 't1', appId: '/web', host: 'h1' },
      { id: 't2', appId: '/web', host: 'h2' },
      { id: 'x', appId: '/other', host: 'h1' },
    ];
    const res = await call(base, 'DELETE', '/v2/apps/web/tasks?host=h1&wipe=true');
    expect(res.status).to.equal(200);
    expect(res.json).to.deep.equal({ tasks: [fake.taskList[0]] });
    expect(fake.callsOf('killTasks')[0]).to.deep.equal([['t1'], { force: false, scale: false, wipe: true }]);
    const scaled = await call(base, 'DELETE', '/v2/apps/web/tasks?scale=true&force=true');
    expect(scaled.json).to.have.keys('version', 'deploymentId');
    expect(fake.callsOf('killTasks')[1]).to.deep.equal([['t1', 't2'], { force: true, scale: true, wipe: false }]);
  });

  it('kills one task of an app: {task}, 404 when it is not that app’s', async () => {
    fake.apps.set('/web', { id: '/web' });
    fake.taskList = [{ id: 'web.1', appId: '/web', host: 'h1' }];
    const res = await call(base, 'DELETE', '/v2/apps/web/tasks/web.1');
    expect(res.status).to.equal(200);
    expect(res.json).to.deep.equal({ task: fake.taskList[0] });
    const other = await call(base, 'DELETE', '/v2/apps/web/tasks/nope.1');
    expect(other.status).to.equal(404);
    expect((other.json as { message: string }).message).to.match(/nope\.1/);
  });
});
