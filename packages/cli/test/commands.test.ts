import { expect } from 'chai';
import { agentStartOptions } from '../src/commands/agent.js';
import { describeCluster } from '../src/commands/local.js';
import { masterStartOptions } from '../src/commands/master.js';
import { formatReadyLine } from '../src/ready-line.js';

describe('command wiring (pure parts)', () => {
  it('maps master flags onto Master.start options', () => {
    expect(
      masterStartOptions({
        port: 0,
        grpcPort: 6000,
        ip: '127.0.0.1',
        offerTimeoutMs: 30_000,
        agentPingTimeoutMs: 500,
        maxAgentPingTimeouts: 3,
        weights: { prod: 2 },
      }),
    ).to.deep.include({
      port: 0,
      grpcPort: 6000,
      ip: '127.0.0.1',
      offerTimeoutMs: 30_000,
      agentPingIntervalMs: 500,
      maxAgentPingTimeouts: 3,
      roleWeights: { prod: 2 },
    });
  });

  it('maps --zk and --zk_session_timeout onto Master.start options', () => {
    expect(
      masterStartOptions({ port: 0, grpcPort: 0, zk: 'zk://127.0.0.1:2181/mesos', zkSessionTimeoutMs: 2000 }),
    ).to.deep.include({ zk: 'zk://127.0.0.1:2181/mesos', zkSessionTimeoutMs: 2000 });
  });

  it('maps agent flags onto Agent.start options', () => {
    expect(
      agentStartOptions({
        master: 'h:1',
        workDir: '/w',
        port: 0,
        grpcPort: 0,
        resources: 'cpus:1',
        killTasksOnExit: true,
        dockerSocket: '/run/d.sock',
        executorRegistrationTimeoutMs: 5000,
      }),
    ).to.deep.include({
      master: 'h:1',
      workDir: '/w',
      port: 0,
      grpcPort: 0,
      resources: 'cpus:1',
      killTasksOnExit: true,
      docker: { socketPath: '/run/d.sock' },
      executorRegistrationTimeoutMs: 5000,
    });
  });

  it('formats the ready line of docs/contracts.md', () => {
    const line = formatReadyLine({
      component: 'master',
      http: 'http://127.0.0.1:5050',
      grpc: '127.0.0.1:5060',
      id: 'm',
    });
    expect(line).to.equal(
      '{"event":"ready","component":"master","http":"http://127.0.0.1:5050","grpc":"127.0.0.1:5060","id":"m"}',
    );
    expect(line).to.not.include('\n');
    expect(JSON.parse(formatReadyLine({ component: 'agent', http: 'http://x', agentId: 'a1' }))).to.deep.equal({
      event: 'ready',
      component: 'agent',
      http: 'http://x',
      agentId: 'a1',
    });
  });

  it('describes a local cluster: both master addresses and every agent', () => {
    const lines = describeCluster({
      masterHttp: 'http://127.0.0.1:5050',
      masterGrpc: '127.0.0.1:5060',
      workDir: '/tmp/c',
      agents: [1, 2].map((n) => ({
        index: n - 1,
        agentId: `S${n}`,
        httpUrl: `http://127.0.0.1:4000${n}`,
        workDir: `/tmp/c/agent-${n}`,
        pid: undefined,
        running: true,
        simulated: false,
      })),
    });
    expect(lines[0]).to.equal('mesocosm local: 1 master, 2 agents on 127.0.0.1');
    expect(lines[1]).to.match(/web UI\s+http:\/\/127\.0\.0\.1:5050\//);
    expect(lines[2]).to.include('http://127.0.0.1:5050/master/state');
    expect(lines[3]).to.match(/master gRPC\s+127\.0\.0\.1:5060/);
    expect(lines[5]).to.match(/agent 2\s+http:\/\/127\.0\.0\.1:40002\s+id S2\s+work dir \/tmp\/c\/agent-2/);
  });
});
