import { expect } from 'chai';
import type { MarathonHttp } from '../../src/api/index.js';
import type { FakeMarathonService } from './fake-service.js';
import { call, startFake } from './helpers.js';

describe('api: tasks, groups, deployments, queue, info', () => {
  let fake: FakeMarathonService;
  let http: MarathonHttp;
  let base: string;

  beforeEach(async () => {
    ({ fake, http } = await startFake());
    base = http.url;
  });
  afterEach(() => http.close());

  it('answers /ping with pong and /v2/info with the service info', async () => {
    const ping = await call(base, 'GET', '/ping');
    expect([ping.status, ping.text.trim()]).to.deep.equal([200, 'pong']);
    expect((await call(base, 'GET', '/v2/info')).json).to.deep.include({ name: 'marathon' });
  });

  it('answers /v2/leader with host:port, itself when it leads and names nobody, 404 when none', async () => {
    const self = await call(base, 'GET', '/v2/leader');
    expect(self.json).to.deep.equal({ leader: `127.0.0.1:${http.port}` });
    fake.leader = 'http://m2:8080';
    expect((await call(base, 'GET', '/v2/leader')).json).to.deep.equal({ leader: 'm2:8080' });
    fake.leading = false;
    fake.leader = undefined;
    const none = await call(base, 'GET', '/v2/leader');
    expect(none.status).to.equal(404);
    expect(none.json).to.deep.equal({ message: 'There is no leader' });
  });

  it('lists tasks, filtered by one or more statuses', async () => {
    fake.taskList = [
      { id: 'a', appId: '/web', state: 'TASK_RUNNING', host: 'h', ports: [] },
      { id: 'b', appId: '/web', state: 'TASK_STAGING', host: 'h', ports: [] },
      { id: 'c', appId: '/web', state: 'TASK_KILLED', host: 'h', ports: [] },
    ];
    const all = await call(base, 'GET', '/v2/tasks');
    expect((all.json as { tasks: unknown[] }).tasks).to.have.length(3);
    const some = await call(base, 'GET', '/v2/tasks?status=running&status=staging');
    expect((some.json as { tasks: { id: string }[] }).tasks.map((t) => t.id)).to.deep.equal(['a', 'b']);
  });

  it('lists tasks as text/plain when asked so, one line per app and service port', async () => {
    fake.apps.set('/prod/web', { id: '/prod/web', portDefinitions: [{ port: 10000 }, { port: 10001 }] });
    fake.apps.set('/worker', { id: '/worker' });
    fake.taskList = [
      { id: 'a', appId: '/prod/web', host: 'h1', ports: [31000, 31001] },
      { id: 'b', appId: '/prod/web', host: 'h2', ports: [32000, 32001] },
      { id: 'c', appId: '/worker', host: 'h3', ports: [] },
    ];
    const res = await call(base, 'GET', '/v2/tasks', undefined, { accept: 'text/plain' });
    expect(res.status).to.equal(200);
    expect(res.text).to.equal(
      'prod_web\t10000\th1:31000\th2:32000\t\nprod_web\t10001\th1:31001\th2:32001\t\nworker\t \th3\t\n',
    );
    expect((await call(base, 'GET', '/v2/tasks', undefined, { accept: 'application/json, text/plain' })).json).to.be.an(
      'object',
    );
  });

  it('kills tasks by id with POST /v2/tasks/delete, scale and force passed through; 400 without ids', async () => {
    fake.taskList = [{ id: 'a', appId: '/web' }];
    const res = await call(base, 'POST', '/v2/tasks/delete?scale=true&force=true', { ids: ['a'] });
    expect(res.status).to.equal(200);
    expect(res.json).to.have.keys('version', 'deploymentId');
    expect(fake.callsOf('killTasks')).to.deep.equal([[['a'], { force: true, scale: true, wipe: false }]]);
    const plain = await call(base, 'POST', '/v2/tasks/delete', { ids: ['a'] });
    expect(plain.json).to.deep.equal({ tasks: [{ id: 'a', appId: '/web' }] });
    const bad = await call(base, 'POST', '/v2/tasks/delete', { ids: 'a' });
    expect(bad.status).to.equal(400);
    expect((bad.json as { message: string }).message).to.match(/ids/);
  });

  it('reads groups: the root, a nested one, 404 for an unknown one', async () => {
    expect((await call(base, 'GET', '/v2/groups')).json).to.deep.include({ id: '/' });
    expect((await call(base, 'GET', '/v2/groups/prod')).json).to.deep.include({ id: '/prod' });
    const missing = await call(base, 'GET', '/v2/groups/nope');
    expect(missing.status).to.equal(404);
    expect(missing.json).to.deep.equal({ message: "Group '/nope' does not exist" });
  });

  it('creates a group with POST (id relative to the path), 409 when it exists, 422 without an id', async () => {
    const res = await call(base, 'POST', '/v2/groups/prod?force=true', { id: 'api', apps: [] });
    expect(res.status).to.equal(201);
    expect(res.headers.get('location')).to.equal('/v2/groups/prod/api');
    expect(fake.callsOf('putGroup')[0]).to.deep.equal([
      '/prod/api',
      { id: 'api', apps: [] },
      { force: true, create: true },
    ]);
    expect((await call(base, 'POST', '/v2/groups', { id: '/prod' })).status).to.equal(409);
    const noId = await call(base, 'POST', '/v2/groups', { apps: [] });
    expect(noId.status).to.equal(422);
    expect((noId.json as { details: { path: string }[] }).details[0]?.path).to.equal('/id');
  });

  it('PUT and DELETE a group answer the deployment; DELETE of an unknown group is 404', async () => {
    const put = await call(base, 'PUT', '/v2/groups/prod', { id: '/prod', apps: [] });
    expect(put.status).to.equal(200);
    expect(fake.callsOf('putGroup')[0]).to.deep.equal(['/prod', { id: '/prod', apps: [] }, { force: false }]);
    expect((await call(base, 'DELETE', '/v2/groups/prod?force=true')).status).to.equal(200);
    expect(fake.callsOf('deleteGroup')[0]).to.deep.equal(['/prod', { force: true }]);
    expect((await call(base, 'DELETE', '/v2/groups/nope')).status).to.equal(404);
  });

  it('lists deployments; cancelling rolls back (200) or, forced, stops (202); 404 when unknown', async () => {
    fake.deploymentList = [{ id: 'dep-1', affectedApps: ['/web'] }];
    expect((await call(base, 'GET', '/v2/deployments')).json).to.deep.equal(fake.deploymentList);
    const rollback = await call(base, 'DELETE', '/v2/deployments/dep-1');
    expect(rollback.status).to.equal(200);
    expect(rollback.json).to.have.keys('version', 'deploymentId');
    const forced = await call(base, 'DELETE', '/v2/deployments/dep-1?force=true');
    expect([forced.status, forced.text]).to.deep.equal([202, '']);
    expect(fake.callsOf('cancelDeployment')[1]).to.deep.equal(['dep-1', { force: true }]);
    expect((await call(base, 'DELETE', '/v2/deployments/nope')).status).to.equal(404);
  });

  it('shows the queue and resets an app’s delay (204), 404 when the app is not queued', async () => {
    fake.queueList = [{ app: { id: '/prod/web' }, count: 2, delay: { timeLeftSeconds: 5, overdue: false } }];
    expect((await call(base, 'GET', '/v2/queue')).json).to.deep.equal({ queue: fake.queueList });
    const reset = await call(base, 'DELETE', '/v2/queue/prod/web/delay');
    expect(reset.status).to.equal(204);
    expect(fake.callsOf('resetDelay')[0]).to.deep.equal(['/prod/web']);
    expect((await call(base, 'DELETE', '/v2/queue/other/delay')).status).to.equal(404);
  });
});
