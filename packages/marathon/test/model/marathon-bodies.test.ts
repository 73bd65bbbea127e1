// Bodies in the shapes Marathon users send and Marathon itself returns.

import { expect } from 'chai';
import { parseApp, renderApp } from '../../src/index.js';

describe('Marathon bodies', () => {
  it('accepts a full GET body sent back as a PUT, and renders the same fields', () => {
    const body = {
      id: '/tenant-a/http-echo',
      backoffFactor: 1.15,
      backoffSeconds: 1,
      container: {
        portMappings: [{ containerPort: 5678, hostPort: 0, protocol: 'tcp', servicePort: 10101, labels: {} }],
        type: 'DOCKER',
        volumes: [],
        docker: { image: 'hashicorp/http-echo:1.0', forcePullImage: false, privileged: false, parameters: [] },
      },
      args: ['-text', 'hello'],
      cpus: 0.1,
      disk: 0,
      instances: 2,
      maxLaunchDelaySeconds: 300,
      mem: 32,
      gpus: 0,
      networks: [{ mode: 'container/bridge' }],
      requirePorts: false,
      upgradeStrategy: { maximumOverCapacity: 1, minimumHealthCapacity: 1 },
      killSelection: 'YOUNGEST_FIRST',
      unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
      healthChecks: [],
      fetch: [],
      constraints: [],
      env: {},
      labels: { HAPROXY_GROUP: 'external' },
      dependencies: [],
      portDefinitions: [],
      readinessChecks: [],
      executor: '',
      storeUrls: [],
      role: 'slave_public',
      version: '2026-01-01T00:00:00.000Z',
      versionInfo: { lastScalingAt: '2026-01-01T00:00:00.000Z', lastConfigChangeAt: '2026-01-01T00:00:00.000Z' },
      tasksStaged: 0,
      tasksRunning: 2,
      tasksHealthy: 0,
      tasksUnhealthy: 0,
      deployments: [],
    };
    const app = parseApp(body);
    expect(app).to.include({ id: '/tenant-a/http-echo', network: 'BRIDGE', instances: 2, cpus: 0.1, mem: 32 });
    expect(app.args).to.deep.equal(['-text', 'hello']);
    expect(app.extra).to.deep.equal({ executor: '', storeUrls: [], role: 'slave_public' });
    const json = renderApp(app);
    for (const key of [
      'id',
      'container',
      'args',
      'cpus',
      'networks',
      'upgradeStrategy',
      'unreachableStrategy',
      'labels',
      'role',
    ]) {
      expect(json[key], key).to.deep.equal(body[key as keyof typeof body]);
    }
    expect(json).to.not.have.any.keys('tasksRunning', 'deployments', 'version');
  });

  it('accepts the quick-start app: a shell command with a port and an HTTP health check', () => {
    const app = parseApp({
      id: 'basic-0',
      cmd: 'python3 -m http.server $PORT0',
      cpus: 0.1,
      mem: 10.0,
      instances: 1,
      healthChecks: [
        { path: '/', protocol: 'HTTP', gracePeriodSeconds: 3, intervalSeconds: 10, timeoutSeconds: 10 - 5 },
      ],
    });
    expect(app.portDefinitions).to.have.length(1);
    expect(app.healthChecks[0]).to.include({
      protocol: 'HTTP',
      portIndex: 0,
      gracePeriodSeconds: 3,
      intervalSeconds: 10,
    });
  });

  it('accepts a Mesos container without an image and a persistent volume', () => {
    const app = parseApp({
      id: 'stateful',
      cmd: 'echo data >> data/log && sleep 1000',
      container: { type: 'MESOS', volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 100 } }] },
      upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 },
    });
    expect(app.container).to.deep.equal({
      type: 'MESOS',
      portMappings: [],
      volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 100 } }],
    });
  });
});
