// HealthCheck validation and mapping to milliseconds. Pure.
import { expect } from 'chai';
import { v1 } from '@mesocosm/protocol';
import { healthCheckProblem, healthSpec } from '../../src/health/health-spec.js';
import { checkedPort } from '../../src/health/task-health.js';
import { healthyStatus } from '../../src/health/network-probes.js';

const { COMMAND, HTTP, TCP } = v1.HealthCheck.Type;

describe('health: check specs', () => {
  it('maps the fields to milliseconds', () => {
    expect(
      healthSpec({
        type: HTTP,
        delaySeconds: 1.5,
        intervalSeconds: 2,
        timeoutSeconds: 0.25,
        gracePeriodSeconds: 10,
        consecutiveFailures: 3,
        http: { port: 8080, path: '/health', statuses: [200, 204] },
      }),
    ).to.deep.equal({
      delayMs: 1500,
      intervalMs: 2000,
      timeoutMs: 250,
      gracePeriodMs: 10_000,
      consecutiveFailures: 3,
      probe: { type: 'http', scheme: 'http', port: 8080, path: '/health', statuses: [200, 204] },
    });
    expect(healthSpec({ type: TCP, intervalSeconds: 1, timeoutSeconds: 1, tcp: { port: 9 } }).probe).to.deep.equal({
      type: 'tcp',
      port: 9,
    });
    expect(healthSpec({ type: HTTP, intervalSeconds: 1, timeoutSeconds: 1, http: { port: 1 } }).probe).to.include({
      path: '/',
      scheme: 'http',
    });
  });

  it('refuses a zero interval or timeout, a missing port, an unknown type, a command-less COMMAND', () => {
    const base = { intervalSeconds: 1, timeoutSeconds: 1 };
    expect(healthCheckProblem({ ...base, type: TCP, tcp: { port: 80 }, intervalSeconds: 0 })).to.equal(
      'Invalid health check: health_check.interval_seconds: must be greater than 0 seconds, got 0',
    );
    expect(healthCheckProblem({ ...base, type: TCP, tcp: { port: 80 }, timeoutSeconds: 0 })).to.include(
      'timeout_seconds: must be greater than 0',
    );
    expect(healthCheckProblem({ ...base, type: TCP, tcp: { port: 80 }, delaySeconds: -1 })).to.include(
      'delay_seconds: must be 0 or more',
    );
    expect(healthCheckProblem({ ...base, type: HTTP })).to.include('health_check.http.port: must be a TCP port');
    expect(healthCheckProblem({ ...base, type: TCP, tcp: {} })).to.include('health_check.tcp.port');
    expect(healthCheckProblem({ ...base })).to.include('health_check.type: 0 is not COMMAND, HTTP or TCP');
    expect(healthCheckProblem({ ...base, type: COMMAND })).to.include('needs a command');
    expect(healthCheckProblem({ ...base, type: HTTP, http: { port: 80, scheme: 'ftp' } })).to.include('http or https');
    expect(healthCheckProblem({ ...base, type: COMMAND, command: { value: 'true' } })).to.equal(undefined);
    expect(healthCheckProblem(undefined)).to.equal(undefined);
  });

  it('takes 2xx and 3xx as healthy unless statuses are given', () => {
    expect([199, 200, 302, 399, 400, 500].map((s) => healthyStatus(s, []))).to.deep.equal([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect([200, 503].map((s) => healthyStatus(s, [503]))).to.deep.equal([false, true]);
  });

  it('checks a Docker BRIDGE task at the host port mapped to the container port', () => {
    const bridge = {
      container: {
        docker: {
          network: v1.ContainerInfo.DockerInfo.Network.BRIDGE,
          portMappings: [{ containerPort: 8080, hostPort: 31005 }],
        },
      },
    };
    expect(checkedPort(bridge, 8080)).to.equal(31005);
    expect(checkedPort(bridge, 31005)).to.equal(31005);
    expect(
      checkedPort({ container: { docker: { network: v1.ContainerInfo.DockerInfo.Network.HOST } } }, 8080),
    ).to.equal(8080);
    expect(checkedPort({}, 80)).to.equal(80);
  });
});
