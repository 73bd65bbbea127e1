// Readiness checks against real tasks: each instance is a small HTTP server on
// its assigned port that answers the status code written in a file the test
// controls, and logs every request. The deployment must stay open while the
// servers answer 503 (and Marathon must really have asked them), and finish
// once they answer 200.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@mesocosm/framework-sdk';
import { Marathon } from '@mesocosm/marathon';
import { LocalCluster, waitFor } from '@mesocosm/testing';

/**
 * Requests for `/ready` logged in `file` (0 before the first). Only those count: other
 * processes on this host (anything scanning the agents' port range) may ask for other paths.
 */
async function readyProbes(file: string): Promise<number> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l === '/ready').length;
  } catch {
    return 0;
  }
}

describe('Marathon readiness checks on a LocalCluster', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let marathon: Marathon;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'marathon-ready-'));
    // The agent advertises 127.0.0.1, so that Marathon can reach the tasks' ports.
    cluster = await LocalCluster.start({ agents: [{ hostname: '127.0.0.1' }] });
    await cluster.waitForAgents(1);
    marathon = await Marathon.start({
      master: cluster.masterGrpc,
      hostname: '127.0.0.1',
      http: false,
      frameworkName: 'marathon-ready',
      minReviveIntervalMs: 500,
      logger: silentLogger,
    });
    await waitFor(() => marathon.isLeader && marathon.frameworkId, { timeoutMs: 20_000, message: 'subscribed' });
  });

  after(async () => {
    await marathon?.stop();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the deployment until the new tasks answer ready, then finishes it', async () => {
    const status = join(dir, 'status');
    const requests = join(dir, 'requests');
    await writeFile(status, '503');
    const server = [
      'const fs = require("fs");',
      'require("http").createServer((q, s) => {',
      `  fs.appendFileSync(${JSON.stringify(requests)}, q.url + "\\n");`,
      `  s.statusCode = Number(fs.readFileSync(${JSON.stringify(status)}, "utf8"));`,
      '  s.end();',
      '}).listen(Number(process.env.PORT0), "127.0.0.1");',
    ].join(' ');
    await marathon.service.createApp({
      id: '/ready/web',
      cmd: `exec ${JSON.stringify(process.execPath)} -e '${server}'`,
      instances: 2,
      cpus: 0.05,
      mem: 32,
      portDefinitions: [{ port: 0, name: 'http' }],
      readinessChecks: [{ name: 'ready', path: '/ready', portName: 'http', intervalSeconds: 2, timeoutSeconds: 1 }],
    });
    // Both servers asked at least twice each, still 503: the deployment is still open.
    await waitFor(async () => (await readyProbes(requests)) >= 4, { timeoutMs: 60_000, message: '4 readiness probes' });
    const tasks = marathon.service.appTasks('/ready/web') ?? [];
    expect(tasks.filter((t) => t['state'] === 'TASK_RUNNING')).to.have.length(2);
    expect(marathon.service.deployments()).to.have.length(1);

    await writeFile(status, '200');
    await waitFor(() => marathon.service.deployments().length === 0, {
      timeoutMs: 30_000,
      message: 'the deployment finished once ready',
    });
    await marathon.service.deleteApp('/ready/web', {});
  });
});
