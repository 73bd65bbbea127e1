import { expect } from 'chai';
import { APP_DEFAULTS, parseApp, renderApp } from '../../src/index.js';
import { errorsAt, invalid } from './expect-invalid.js';

describe('parseApp', () => {
  it('fills Marathon defaults', () => {
    const app = parseApp({ id: 'sleepy', cmd: 'sleep 1000' });
    expect(app).to.include({
      id: '/sleepy',
      instances: 1,
      cpus: 1,
      mem: 128,
      disk: 0,
      gpus: 0,
      backoffSeconds: 1,
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 300,
      killSelection: 'YOUNGEST_FIRST',
      requirePorts: false,
      network: 'HOST',
    });
    expect(app.upgradeStrategy).to.deep.equal({ minimumHealthCapacity: 1, maximumOverCapacity: 1 });
    expect(app.unreachableStrategy).to.deep.equal({ inactiveAfterSeconds: 0, expungeAfterSeconds: 0 });
    expect(app.portDefinitions).to.deep.equal([{ port: 0, protocol: 'tcp', labels: {} }]);
    expect(APP_DEFAULTS.instances).to.equal(1);
  });

  it('resolves ids against a base group and keeps absolute ones', () => {
    expect(parseApp({ id: 'web', cmd: 'x' }, { baseGroup: '/prod' }).id).to.equal('/prod/web');
    expect(parseApp({ id: '../dev/web', cmd: 'x' }, { baseGroup: '/prod/eu' }).id).to.equal('/prod/dev/web');
    expect(parseApp({ id: '/a/b.c/d-1/', cmd: 'x' }, { baseGroup: '/prod' }).id).to.equal('/a/b.c/d-1');
    expect(parseApp({ cmd: 'x' }, { id: '/from/url' }).id).to.equal('/from/url');
  });

  it('resolves dependencies relative to the app group', () => {
    const app = parseApp({ id: '/prod/web', cmd: 'x', dependencies: ['db', '/shared/cache', '../infra'] });
    expect(app.dependencies).to.deep.equal(['/prod/db', '/shared/cache', '/infra']);
  });

  it('parses a Docker bridge app as the Marathon docs write it', () => {
    const app = parseApp({
      id: 'nginx',
      container: {
        type: 'DOCKER',
        docker: {
          image: 'nginx:1.25',
          network: 'BRIDGE',
          portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 9000, protocol: 'tcp' }],
          forcePullImage: true,
        },
        volumes: [{ containerPath: '/etc/a', hostPath: '/var/data/a', mode: 'RO' }],
      },
      cpus: 0.25,
      mem: 64,
      instances: 2,
      healthChecks: [{ protocol: 'HTTP', portIndex: 0, path: '/health' }],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.2 },
    });
    expect(app.network).to.equal('BRIDGE');
    expect(app.portDefinitions).to.deep.equal([]);
    expect(app.container?.docker).to.deep.include({ image: 'nginx:1.25', forcePullImage: true, privileged: false });
    expect(app.container?.portMappings).to.deep.equal([
      { containerPort: 80, hostPort: 0, servicePort: 9000, protocol: 'tcp', labels: {} },
    ]);
    expect(app.container?.volumes).to.deep.equal([{ containerPath: '/etc/a', hostPath: '/var/data/a', mode: 'RO' }]);
    expect(app.healthChecks[0]).to.deep.equal({
      protocol: 'HTTP',
      path: '/health',
      portIndex: 0,
      gracePeriodSeconds: 300,
      intervalSeconds: 60,
      timeoutSeconds: 20,
      maxConsecutiveFailures: 3,
      delaySeconds: 15,
      ignoreHttp1xx: false,
    });
    const json = renderApp(app);
    expect(json.networks).to.deep.equal([{ mode: 'container/bridge' }]);
    expect((json.container as { portMappings: unknown[] }).portMappings).to.have.length(1);
  });

  it('accepts 1.5 networks with container.portMappings, and USER networks without host ports', () => {
    const app = parseApp({
      id: 'svc',
      networks: [{ mode: 'container', name: 'dcos' }],
      container: {
        type: 'DOCKER',
        docker: { image: 'busybox' },
        portMappings: [{ containerPort: 8080, name: 'http' }],
      },
    });
    expect(app.network).to.equal('USER');
    expect(app.networkName).to.equal('dcos');
    expect(app.container?.portMappings[0]).to.deep.equal({
      containerPort: 8080,
      servicePort: 0,
      protocol: 'tcp',
      name: 'http',
      labels: {},
    });
  });

  it('turns legacy ports and uris into portDefinitions and fetch', () => {
    const app = parseApp({
      id: 'legacy',
      cmd: './run',
      ports: [8080, 0],
      requirePorts: true,
      uris: ['https://example.com/app.tar.gz', 'https://example.com/config.json'],
    });
    expect(app.portDefinitions.map((p) => p.port)).to.deep.equal([8080, 0]);
    expect(app.requirePorts).to.equal(true);
    expect(app.fetch).to.deep.equal([
      { uri: 'https://example.com/app.tar.gz', extract: true, executable: false, cache: false },
      { uri: 'https://example.com/config.json', extract: false, executable: false, cache: false },
    ]);
  });

  it('fills health check defaults per protocol', () => {
    const check = (healthCheck: Record<string, unknown>) =>
      parseApp({
        id: 'checked',
        cmd: 'x',
        portDefinitions: [{ port: 0 }, { port: 0, name: 'admin' }],
        healthChecks: [healthCheck],
      }).healthChecks[0];
    expect(check({ protocol: 'TCP', portIndex: 1 }))
      .to.include({ protocol: 'TCP', portIndex: 1 })
      .and.not.have.property('path');
    const command = check({
      protocol: 'COMMAND',
      command: { value: 'curl -f localhost:$PORT0' },
      maxConsecutiveFailures: 0,
    });
    expect(command).to.deep.include({ protocol: 'COMMAND', command: { value: 'curl -f localhost:$PORT0' } });
    expect(command).to.not.have.property('portIndex');
    expect(command?.maxConsecutiveFailures).to.equal(0);
    expect(check({ protocol: 'MESOS_HTTP' })).to.include({ protocol: 'MESOS_HTTP', path: '/', portIndex: 0 });
  });

  it('refuses a second health check with a 422 naming healthChecks (a task carries one)', () => {
    const json = {
      id: 'twice',
      cmd: 'x',
      portDefinitions: [{ port: 0 }],
      healthChecks: [{ protocol: 'TCP' }, { protocol: 'HTTP', path: '/health' }],
    };
    const messages = errorsAt(
      invalid(() => parseApp(json)),
      '/healthChecks',
    );
    expect(messages.join('\n')).to.match(/at most one health check \(got 2\)/);
  });

  it('parses constraints, readiness checks, strategies and kill selection', () => {
    const app = parseApp({
      id: 'placed',
      cmd: 'x',
      portDefinitions: [{ port: 0, name: 'http-api' }],
      constraints: [
        ['hostname', 'UNIQUE'],
        ['rack', 'GROUP_BY', '3'],
        ['zone', 'LIKE', 'us-.*'],
        ['hostname', 'MAX_PER', '2'],
        ['level', 'IS', '3'],
      ],
      readinessChecks: [{ path: '/ready' }],
      killSelection: 'OLDEST_FIRST',
      unreachableStrategy: { inactiveAfterSeconds: 60, expungeAfterSeconds: 120 },
      taskKillGracePeriodSeconds: 30,
      backoffSeconds: 2,
      backoffFactor: 2,
      maxLaunchDelaySeconds: 60,
    });
    expect(app.constraints).to.deep.equal([
      { field: 'hostname', operator: 'UNIQUE' },
      { field: 'rack', operator: 'GROUP_BY', value: '3' },
      { field: 'zone', operator: 'LIKE', value: 'us-.*' },
      { field: 'hostname', operator: 'MAX_PER', value: '2' },
      { field: 'level', operator: 'IS', value: '3' },
    ]);
    expect(app.readinessChecks[0]).to.deep.include({
      name: 'readinessCheck',
      path: '/ready',
      portName: 'http-api',
      intervalSeconds: 30,
    });
    expect(app).to.include({ killSelection: 'OLDEST_FIRST', taskKillGracePeriodSeconds: 30, backoffFactor: 2 });
    expect(app.unreachableStrategy).to.deep.equal({ inactiveAfterSeconds: 60, expungeAfterSeconds: 120 });
    expect(parseApp({ id: 'u', cmd: 'x', unreachableStrategy: 'disabled' }).unreachableStrategy).to.equal('disabled');
  });

  it('keeps unknown fields and renders them back, dropping the read-only ones of a GET', () => {
    const app = parseApp({
      id: 'extra',
      cmd: 'x',
      executor: '//cmd',
      residency: null,
      ipAddress: { networkName: 'x' },
      myTool: { owner: 'team-a' },
      tasksRunning: 3,
      deployments: [],
    });
    expect(app.extra).to.deep.equal({
      executor: '//cmd',
      residency: null,
      ipAddress: { networkName: 'x' },
      myTool: { owner: 'team-a' },
    });
    const json = renderApp(app);
    expect(json.myTool).to.deep.equal({ owner: 'team-a' });
    expect(json).to.not.have.property('tasksRunning');
    expect(parseApp(json)).to.deep.equal(app);
  });

  describe('422 details', () => {
    const cases: { name: string; body: Record<string, unknown>; path: string; message: RegExp }[] = [
      { name: 'negative cpus', body: { cpus: -1 }, path: '/cpus', message: /got -1\.0, expected 0\.0 or more/ },
      { name: 'negative mem', body: { mem: -5 }, path: '/mem', message: /expected 0\.0 or more/ },
      { name: 'negative disk', body: { disk: -1 }, path: '/disk', message: /expected 0\.0 or more/ },
      { name: 'fractional instances', body: { instances: 1.5 }, path: '/instances', message: /expected an integer/ },
      {
        name: 'negative instances',
        body: { instances: -1 },
        path: '/instances',
        message: /got -1, expected 0 or more/,
      },
      { name: 'string cpus', body: { cpus: 'two' }, path: '/cpus', message: /expected a number, got a string/ },
      { name: 'upper-case id', body: { id: 'MyApp' }, path: '/id', message: /must fully match regular expression/ },
      { name: 'id with underscore', body: { id: 'my_app' }, path: '/id', message: /must fully match/ },
      { name: 'id above root', body: { id: '../../x' }, path: '/id', message: /above the root/ },
      { name: 'both cmd and args', body: { args: ['a'] }, path: '/', message: /one of 'cmd' or 'args'/ },
      { name: 'empty cmd', body: { cmd: ' ' }, path: '/cmd', message: /must not be an empty string/ },
      { name: 'env not strings', body: { env: { A: 1 } }, path: '/env/A', message: /expected a string/ },
      { name: 'labels not an object', body: { labels: [] }, path: '/labels', message: /expected an object/ },
      {
        name: 'port out of range',
        body: { portDefinitions: [{ port: 70000 }] },
        path: '/portDefinitions(0)/port',
        message: /between 0 and 65535/,
      },
      {
        name: 'duplicate ports',
        body: { portDefinitions: [{ port: 80 }, { port: 80 }] },
        path: '/portDefinitions',
        message: /Ports must be unique/,
      },
      {
        name: 'ports and portDefinitions disagree',
        body: { ports: [1], portDefinitions: [{ port: 2 }] },
        path: '/',
        message: /both ports and port definitions/,
      },
      {
        name: 'bad protocol',
        body: { portDefinitions: [{ port: 0, protocol: 'sctp' }] },
        path: '/portDefinitions(0)/protocol',
        message: /not one of tcp, udp, udp,tcp/,
      },
      {
        name: 'unknown constraint operator',
        body: { constraints: [['hostname', 'NEAR']] },
        path: '/constraints(0)',
        message: /must be one of the following UNIQUE/,
      },
      {
        name: 'UNIQUE with a value',
        body: { constraints: [['hostname', 'UNIQUE', 'x']] },
        path: '/constraints(0)',
        message: /Value specified but not used/,
      },
      {
        name: 'CLUSTER without value',
        body: { constraints: [['rack', 'CLUSTER']] },
        path: '/constraints(0)',
        message: /Missing value/,
      },
      {
        name: 'GROUP_BY not a number',
        body: { constraints: [['rack', 'GROUP_BY', 'x']] },
        path: '/constraints(0)',
        message: /not a number/,
      },
      {
        name: 'MAX_PER without value',
        body: { constraints: [['rack', 'MAX_PER']] },
        path: '/constraints(0)',
        message: /MAX_PER must have an integer value/,
      },
      {
        name: 'LIKE with a bad regex',
        body: { constraints: [['rack', 'LIKE', '(']] },
        path: '/constraints(0)',
        message: /not a valid regular expression/,
      },
      {
        name: 'constraint of one field',
        body: { constraints: [['hostname']] },
        path: '/constraints(0)',
        message: /either 2 or 3 fields/,
      },
      {
        name: 'health check port index out of range',
        body: { healthChecks: [{ portIndex: 2 }] },
        path: '/healthChecks(0)',
        message: /port indices must address an element/,
      },
      {
        name: 'COMMAND check without command',
        body: { healthChecks: [{ protocol: 'COMMAND' }] },
        path: '/healthChecks(0)/command',
        message: /needs command\.value/,
      },
      {
        name: 'health check timeout over interval',
        body: { healthChecks: [{ intervalSeconds: 5, timeoutSeconds: 10 }] },
        path: '/healthChecks(0)/timeoutSeconds',
        message: /less than intervalSeconds/,
      },
      {
        name: 'bad health protocol',
        body: { healthChecks: [{ protocol: 'UDP' }] },
        path: '/healthChecks(0)/protocol',
        message: /not one of HTTP/,
      },
      {
        name: 'readiness portName unknown',
        body: { readinessChecks: [{ portName: 'nope' }] },
        path: '/readinessChecks(0)/portName',
        message: /No port definition reference for portName nope/,
      },
      {
        name: 'minimumHealthCapacity above 1',
        body: { upgradeStrategy: { minimumHealthCapacity: 1.5 } },
        path: '/upgradeStrategy/minimumHealthCapacity',
        message: /got 1\.5, expected between 0\.0 and 1\.0/,
      },
      {
        name: 'negative maximumOverCapacity',
        body: { upgradeStrategy: { maximumOverCapacity: -0.1 } },
        path: '/upgradeStrategy/maximumOverCapacity',
        message: /expected between/,
      },
      {
        name: 'backoffFactor below 1',
        body: { backoffFactor: 0.5 },
        path: '/backoffFactor',
        message: /expected 1\.0 or more/,
      },
      {
        name: 'negative backoffSeconds',
        body: { backoffSeconds: -1 },
        path: '/backoffSeconds',
        message: /expected 0\.0 or more/,
      },
      {
        name: 'unknown killSelection',
        body: { killSelection: 'RANDOM' },
        path: '/killSelection',
        message: /not one of YOUNGEST_FIRST, OLDEST_FIRST/,
      },
      {
        name: 'expunge before inactive',
        body: { unreachableStrategy: { inactiveAfterSeconds: 10, expungeAfterSeconds: 5 } },
        path: '/unreachableStrategy/expungeAfterSeconds',
        message: /greater than or equal to inactiveAfterSeconds/,
      },
      {
        name: 'uris with fetch',
        body: { uris: ['a'], fetch: [{ uri: 'b' }] },
        path: '/uris',
        message: /conjunction with fetch/,
      },
      {
        name: 'dependency on itself',
        body: { dependencies: ['app'] },
        path: '/dependencies(0)',
        message: /depend on itself/,
      },
      {
        name: 'empty acceptedResourceRoles',
        body: { acceptedResourceRoles: [] },
        path: '/acceptedResourceRoles',
        message: /must not be empty/,
      },
    ];
    for (const c of cases) {
      it(`names ${c.path} for ${c.name}`, () => {
        const body = { id: 'app', cmd: 'x', ...c.body };
        const details = invalid(() => parseApp(body));
        const messages = errorsAt(details, c.path);
        expect(messages, JSON.stringify(details)).to.have.length.above(0);
        expect(messages.join('\n')).to.match(c.message);
      });
    }

    it('requires an id', () => {
      expect(
        errorsAt(
          invalid(() => parseApp({ cmd: 'x' })),
          '/id',
        ),
      ).to.deep.equal(['is required']);
    });

    it('requires cmd, args or a container', () => {
      expect(
        errorsAt(
          invalid(() => parseApp({ id: 'a' })),
          '/',
        )[0],
      ).to.match(/one of 'cmd' or 'args', and\/or a 'container'/);
    });

    it('checks Docker containers and networking', () => {
      const details = invalid(() =>
        parseApp({
          id: 'd',
          container: {
            type: 'DOCKER',
            docker: { image: '' },
            portMappings: [{ containerPort: 80 }],
            volumes: [{ mode: 'RW' }],
          },
        }),
      );
      expect(errorsAt(details, '/container/docker/image')).to.deep.equal(['must not be empty']);
      expect(errorsAt(details, '/')).to.include('portMappings are not allowed with host-networking');
      expect(errorsAt(details, '/container/volumes(0)/containerPath')).to.deep.equal(['must not be empty']);
      expect(errorsAt(details, '/container/volumes(0)')[0]).to.match(/needs a hostPath/);
    });

    it('refuses portDefinitions with bridge networking and a docker.network next to networks', () => {
      const details = invalid(() =>
        parseApp({
          id: 'd',
          networks: [{ mode: 'container/bridge' }],
          portDefinitions: [{ port: 0 }],
          container: { docker: { image: 'x', network: 'BRIDGE' } },
        }),
      );
      expect(errorsAt(details, '/')).to.include.members([
        'portDefinitions are only allowed with host-networking',
        'must not specify both container.docker.network and networks',
      ]);
    });

    it('reports every problem, not only the first', () => {
      const details = invalid(() => parseApp({ id: 'Bad', cpus: -1, mem: 'x', instances: -2, constraints: [['h']] }));
      expect(details.map((d) => d.path)).to.include.members([
        '/id',
        '/cpus',
        '/mem',
        '/instances',
        '/constraints(0)',
        '/',
      ]);
      expect(details.length).to.be.at.least(6);
    });

    it('refuses what is not an object', () => {
      expect(
        errorsAt(
          invalid(() => parseApp([1])),
          '/',
        )[0],
      ).to.match(/expected an app object, got an array/);
    });
  });
});
