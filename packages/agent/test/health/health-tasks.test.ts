// Health checks of shell tasks in a real agent: a fake master over real gRPC,
// real processes (tiny node servers as the tasks), real HTTP, TCP and
// COMMAND checks.
import { expect } from 'chai';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskStatusReason, v1, type IHealthCheck } from '@mesocosm/protocol';
import { startFixture, stateTask, stopFixture, type Fixture } from '../helpers/agent-fixture.js';
import type { ReceivedUpdate } from '../helpers/fake-master.js';
import { killTask, runShellTask } from '../helpers/tasks.js';
import { waitFor } from '../helpers/wait-for.js';
import { freePort } from './free-port.js';

const { COMMAND, HTTP, TCP } = v1.HealthCheck.Type;
const HEALTH = TaskStatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED;

/** A node one-liner as a shell word. */
const node = (js: string) => `'${process.execPath}' -e '${js}'`;

/** Answers 200, or 500 once a file `sick` exists in its sandbox. */
const HTTP_SERVER = node(
  'require("http").createServer((q, r) => { r.statusCode = require("fs").existsSync("sick") ? 500 : 200; r.end(q.url); }).listen(+process.env.PORT, "127.0.0.1")',
);
const TCP_SERVER = node('require("net").createServer((c) => c.end()).listen(+process.env.PORT, "127.0.0.1")');

/** The health updates of a task (RUNNING with REASON_TASK_HEALTH_CHECK_STATUS_UPDATED): [healthy, reason, message]. */
function healthUpdates(updates: ReceivedUpdate[]): [boolean, number, string][] {
  const seen = new Set<string>();
  return updates
    .filter((u) => u.state === 'TASK_RUNNING' && u.status.reason === HEALTH && !seen.has(u.uuid) && seen.add(u.uuid))
    .map((u) => [u.status.healthy ?? false, u.status.reason ?? 0, u.status.message ?? '']);
}

describe('agent: health checks of shell tasks', function () {
  this.timeout(30_000);
  let f: Fixture | undefined;

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  const withCheck = (taskId: string, shell: string, check: IHealthCheck, port?: number) =>
    runShellTask(taskId, shell, `cpus:0.1;mem:64${port ? `;ports:[${port}-${port}]` : ''}`, { healthCheck: check });

  const update = (taskId: string, what: string, pick: (u: ReceivedUpdate) => boolean) =>
    waitFor(what, () => f!.master.updates(taskId).find(pick), 20_000);

  const sandbox = async (taskId: string) =>
    (await waitFor('the task in /state', () => stateTask(f!.agent, taskId))).directory ?? '';

  it('HTTP: healthy once it answers 200, unhealthy on 500, then killed after the consecutive failures', async () => {
    f = await startFixture();
    const port = await freePort();
    f.master.send(
      withCheck(
        'web',
        `exec ${HTTP_SERVER}`,
        {
          type: HTTP,
          http: { port, path: '/health' },
          intervalSeconds: 0.1,
          timeoutSeconds: 2,
          // Connection refusals while node starts fall in the grace period.
          gracePeriodSeconds: 20,
          consecutiveFailures: 3,
        },
        port,
      ),
    );
    const healthy = await update('web', 'healthy', (u) => u.status.hasHealthy === true);
    expect(healthy.state).to.equal('TASK_RUNNING');
    expect(healthy.status.healthy).to.equal(true);
    expect(healthy.status.reason).to.equal(HEALTH);
    expect(healthy.status.message).to.equal('Health check passed');

    await writeFile(join(await sandbox('web'), 'sick'), '');
    const unhealthy = await update('web', 'unhealthy', (u) => u.status.hasHealthy === true && !u.status.healthy);
    expect(unhealthy.state).to.equal('TASK_RUNNING');
    expect(unhealthy.status.message).to.equal(
      `Health check failed: GET http://127.0.0.1:${port}/health answered HTTP 500`,
    );
    const killed = await update('web', 'TASK_KILLED', (u) => u.state === 'TASK_KILLED');
    expect(killed.status.hasHealthy).to.equal(true);
    expect(killed.status.healthy).to.equal(false);
    expect(killed.status.reason).to.equal(HEALTH);
    expect(killed.status.message)
      .to.include('Killed for failing its health check 3 times in a row')
      .and.include('answered HTTP 500')
      .and.include('Command terminated with signal SIGTERM');
    expect(f.master.states('web')).to.deep.equal([
      'TASK_STARTING',
      'TASK_RUNNING',
      'TASK_RUNNING',
      'TASK_RUNNING',
      'TASK_KILLED',
    ]);
    // Changes only: one healthy and one unhealthy update.
    expect(healthUpdates(f.master.updates('web')).map(([h]) => h)).to.deep.equal([true, false]);
  });

  it('TCP: healthy while it accepts connections; later updates carry the last health', async () => {
    f = await startFixture();
    const port = await freePort();
    f.master.send(
      withCheck(
        'tcp',
        `exec ${TCP_SERVER}`,
        { type: TCP, tcp: { port }, intervalSeconds: 0.1, timeoutSeconds: 2, gracePeriodSeconds: 20 },
        port,
      ),
    );
    await update('tcp', 'healthy', (u) => u.status.healthy === true);
    f.master.send(killTask('tcp'));
    const killed = await update('tcp', 'TASK_KILLED', (u) => u.state === 'TASK_KILLED');
    expect(killed.status.hasHealthy).to.equal(true);
    expect(killed.status.healthy).to.equal(true);
    expect(killed.status.reason).to.not.equal(HEALTH);
  });

  it('TCP: a port nothing listens on makes the task unhealthy', async () => {
    f = await startFixture();
    const port = await freePort();
    f.master.send(
      withCheck('tcp-down', 'sleep 30', {
        type: TCP,
        tcp: { port },
        intervalSeconds: 0.1,
        timeoutSeconds: 2,
        consecutiveFailures: 2,
      }),
    );
    const unhealthy = await update('tcp-down', 'unhealthy', (u) => u.status.hasHealthy === true);
    expect(unhealthy.status.healthy).to.equal(false);
    expect(unhealthy.status.message).to.include(`cannot connect to 127.0.0.1:${port}: ECONNREFUSED`);
    const killed = await update('tcp-down', 'TASK_KILLED', (u) => u.state === 'TASK_KILLED');
    expect(killed.status.message).to.include('Killed for failing its health check 2 times in a row');
  });

  it('COMMAND: runs in the sandbox with the task environment; consecutive_failures 0 never kills', async () => {
    f = await startFixture();
    f.master.send(
      withCheck('cmd', 'touch ready; exec sleep 30', {
        type: COMMAND,
        command: {
          shell: true,
          value: 'echo run >> checks; test "$MESOS_TASK_ID" = cmd && test "$EXTRA" = yes && test -f ready',
          environment: { variables: [{ name: 'EXTRA', value: 'yes' }] },
        },
        intervalSeconds: 0.05,
        timeoutSeconds: 2,
        // The first checks may run before the task made `ready`.
        gracePeriodSeconds: 20,
        consecutiveFailures: 0,
      }),
    );
    await update('cmd', 'healthy', (u) => u.status.healthy === true);
    const dir = await sandbox('cmd');
    await rm(join(dir, 'ready'));
    const unhealthy = await update('cmd', 'unhealthy', (u) => u.status.hasHealthy === true && !u.status.healthy);
    expect(unhealthy.status.message).to.equal('Health check failed: the check command exited with status 1');
    // Many more failed checks, and the task still runs.
    const lines = async () => (await readFile(join(dir, 'checks'), 'utf8')).split('\n').length;
    const now = await lines();
    await waitFor('five more checks', async () => (await lines()) >= now + 5);
    expect(f.master.states('cmd')).to.not.include('TASK_KILLED');
    expect(healthUpdates(f.master.updates('cmd')).map(([h]) => h)).to.deep.equal([true, false]);
    f.master.send(killTask('cmd'));
    const killed = await update('cmd', 'TASK_KILLED', (u) => u.state === 'TASK_KILLED');
    expect(killed.status.healthy).to.equal(false);
    expect(killed.status.reason).to.not.equal(HEALTH);
  });

  it('COMMAND: a check that outlives its timeout fails, and its processes are killed', async () => {
    f = await startFixture();
    f.master.send(
      withCheck('slow', 'exec sleep 30', {
        type: COMMAND,
        command: { shell: true, value: 'echo $$ >> check-pids; exec sleep 60' },
        intervalSeconds: 0.05,
        timeoutSeconds: 0.2,
        consecutiveFailures: 2,
      }),
    );
    const unhealthy = await update('slow', 'unhealthy', (u) => u.status.hasHealthy === true);
    expect(unhealthy.status.message).to.equal('Health check failed: timed out after 0.2 s');
    await update('slow', 'TASK_KILLED', (u) => u.state === 'TASK_KILLED');
    const pids = (await readFile(join(await sandbox('slow'), 'check-pids'), 'utf8')).trim().split('\n').map(Number);
    expect(pids.length).to.be.greaterThan(0);
    await waitFor('the check processes gone', () =>
      pids.every((pid) => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }),
    );
  });

  it('refuses a zero interval, a zero timeout and an HTTP check without a port with TASK_ERROR, leaving no sandbox', async () => {
    f = await startFixture();
    const cases: [string, IHealthCheck, string][] = [
      [
        'zero-interval',
        { type: TCP, tcp: { port: 80 }, intervalSeconds: 0, timeoutSeconds: 1 },
        'health_check.interval_seconds: must be greater than 0 seconds, got 0',
      ],
      [
        'zero-timeout',
        { type: TCP, tcp: { port: 80 }, intervalSeconds: 1, timeoutSeconds: 0 },
        'health_check.timeout_seconds: must be greater than 0',
      ],
      ['no-port', { type: HTTP, intervalSeconds: 1, timeoutSeconds: 1 }, 'health_check.http.port'],
    ];
    for (const [id, check] of cases) f.master.send(withCheck(id, 'true', check));
    for (const [id, , words] of cases) {
      const error = await update(id, 'TASK_ERROR', (u) => u.state === 'TASK_ERROR');
      expect(error.status.reason).to.equal(TaskStatusReason.REASON_TASK_INVALID);
      expect(error.status.message).to.include(`Invalid health check: ${words}`);
      expect(f.master.states(id)).to.deep.equal(['TASK_ERROR']);
    }
    expect(await readdir(join(f.workDir, 'sandboxes'))).to.deep.equal([]);
  });
});
