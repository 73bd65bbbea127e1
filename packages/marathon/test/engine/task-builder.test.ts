import { expect } from 'chai';
import { FakeClock } from '@mesocosm/framework-sdk';
import { EventBus, parseApp, stampVersion, taskIdFor, wantedTask } from '../../src/index.js';

const offer = { id: { value: 'o1' }, agentId: { value: 'a1' }, hostname: 'node-1', resources: [] };
const ports = (...ps: number[]) =>
  ps.map((p) => ({ name: 'ports', type: 1, ranges: { range: [{ begin: p, end: p }] } }));

describe('engine: task building', () => {
  it('names tasks as Marathon does and builds a shell task with its environment and health check', () => {
    const app = stampVersion(
      undefined,
      parseApp({
        id: '/prod/web',
        cmd: 'python3 -m http.server $PORT0',
        cpus: 0.5,
        mem: 64,
        portDefinitions: [{ port: 0, name: 'http' }, { port: 0 }],
        env: { MODE: 'prod' },
        labels: { team: 'a' },
        healthChecks: [{ protocol: 'HTTP', portIndex: 1, path: '/health', intervalSeconds: 2, timeoutSeconds: 1 }],
        taskKillGracePeriodSeconds: 7,
        constraints: [['hostname', 'UNIQUE']],
      }),
      1_000,
    );
    const id = taskIdFor(app.id, 'u-1');
    expect(id).to.equal('prod_web.u-1');
    const wanted = wantedTask(app, id);
    expect(wanted.resources).to.equal('cpus:0.5;mem:64');
    expect(wanted.ports).to.equal(2);
    expect(wanted.constraints).to.deep.equal([{ field: 'hostname', operator: 'UNIQUE' }]);
    expect(wanted.killPolicy).to.deep.equal({ gracePeriodSeconds: 7 });
    const task = wanted.build!({ key: app.id, offer, task: { taskId: { value: id }, resources: ports(31001, 31000) } });
    expect(task.command?.shell).to.equal(true);
    expect(task.command?.value).to.equal('python3 -m http.server $PORT0');
    const env = Object.fromEntries((task.command?.environment?.variables ?? []).map((v) => [v.name, v.value]));
    expect(env).to.include({
      PORT0: '31000',
      PORT1: '31001',
      PORT: '31000',
      PORTS: '31000,31001',
      PORT_HTTP: '31000',
      MARATHON_APP_ID: '/prod/web',
      MARATHON_APP_VERSION: app.version,
      MESOS_TASK_ID: id,
      HOST: 'node-1',
      MODE: 'prod',
      MARATHON_APP_LABEL_TEAM: 'a',
    });
    expect(task.healthCheck?.type).to.equal(2);
    expect(task.healthCheck?.http).to.deep.equal({ scheme: 'http', port: 31001, path: '/health' });
    expect(task.healthCheck?.consecutiveFailures).to.equal(0);
  });

  it('builds a Docker bridge task: args, host ports from the offer, mappings, volumes', () => {
    const app = parseApp({
      id: 'db',
      args: ['--port', '5432'],
      container: {
        type: 'DOCKER',
        docker: { image: 'postgres:16', network: 'BRIDGE', portMappings: [{ containerPort: 5432, hostPort: 0 }] },
        volumes: [{ containerPath: '/data', hostPath: '/srv/db', mode: 'RW' }],
      },
    });
    const wanted = wantedTask(app, taskIdFor(app.id, 'x'));
    expect(wanted.ports).to.equal(1);
    const task = wanted.build!({ key: app.id, offer, task: { resources: ports(31005) } });
    expect(task.command).to.deep.include({ shell: false, arguments: ['--port', '5432'] });
    expect(task.container?.type).to.equal(1);
    expect(task.container?.docker).to.deep.include({ image: 'postgres:16', network: 1 });
    expect(task.container?.docker?.portMappings).to.deep.equal([
      { hostPort: 31005, containerPort: 5432, protocol: 'tcp' },
    ]);
    expect(task.container?.volumes).to.deep.equal([{ containerPath: '/data', hostPath: '/srv/db', mode: 0 }]);
  });
});

describe('engine: event bus', () => {
  it('numbers events, filters by type and replays after Last-Event-ID', async () => {
    const bus = new EventBus(new FakeClock(0), 3);
    for (let i = 0; i < 5; i++) bus.publish(i % 2 === 0 ? 'a' : 'b', { n: i });
    expect(bus.history().map((e) => e.id)).to.deep.equal([3, 4, 5]);
    const sub = bus.subscribe({ afterId: 3, eventTypes: ['a'] });
    const it = sub[Symbol.asyncIterator]();
    expect((await it.next()).value?.body).to.deep.include({ n: 4, eventType: 'a' });
    const next = it.next();
    bus.publish('b', { n: 5 });
    bus.publish('a', { n: 6 });
    expect((await next).value?.id).to.equal(7);
    sub.close();
    expect((await it.next()).done).to.equal(true);
  });
});
