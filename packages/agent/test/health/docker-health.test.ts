// Health checks of Docker tasks on a real engine: HTTP at the host port of a
// BRIDGE mapping, COMMAND through docker exec. Skipped without Docker
// (failing with CI=true), as the other Docker tests.
import { expect } from 'chai';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskStatusReason, v1 } from '@mesocosm/protocol';
import { containersOfTask, runDockerTask, t } from '../docker/docker-tasks.js';
import { releaseDockerEngine, requireDockerEngine, type DockerEngineHandle } from '../docker/engine.js';
import { startFixture, stateTask, stopFixture, type Fixture } from '../helpers/agent-fixture.js';
import type { ReceivedUpdate } from '../helpers/fake-master.js';
import { killTask } from '../helpers/tasks.js';
import { waitFor } from '../helpers/wait-for.js';
import { freePort } from './free-port.js';

const { COMMAND, HTTP } = v1.HealthCheck.Type;
const HEALTH = TaskStatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED;

// Once every test file of the run is done, let go of the engine (a no-op when another file did).
after(releaseDockerEngine);

describe('agent: health checks of Docker tasks', function () {
  this.timeout(60_000);
  let engine: DockerEngineHandle;
  let f: Fixture | undefined;

  before(async function () {
    this.timeout(600_000);
    engine = await requireDockerEngine(this);
  });

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  const update = (taskId: string, what: string, pick: (u: ReceivedUpdate) => boolean) =>
    waitFor(what, () => f!.master.updates(taskId).find(pick), 30_000);

  it('HTTP on a BRIDGE container port: checked at its host port; a 404 turns it unhealthy and gets it killed', async () => {
    f = await startFixture({ docker: { socketPath: engine.socketPath } });
    const id = t('web-health');
    const port = await freePort();
    f.master.send(
      runDockerTask(id, 'echo ok > /mnt/mesos/sandbox/index.html && exec httpd -f -p 8080 -h /mnt/mesos/sandbox', {
        resources: `cpus:0.2;mem:32;ports:[${port}-${port}]`,
        docker: {
          network: v1.ContainerInfo.DockerInfo.Network.BRIDGE,
          portMappings: [{ hostPort: port, containerPort: 8080 }],
        },
        extra: {
          healthCheck: {
            type: HTTP,
            http: { port: 8080, path: '/index.html' },
            intervalSeconds: 0.2,
            timeoutSeconds: 2,
            gracePeriodSeconds: 30,
            consecutiveFailures: 2,
          },
          killPolicy: { gracePeriodSeconds: 1 },
        },
      }),
    );
    const healthy = await update(id, 'healthy', (u) => u.status.hasHealthy === true);
    expect(healthy.state).to.equal('TASK_RUNNING');
    expect(healthy.status.healthy).to.equal(true);
    const sandbox = (await stateTask(f.agent, id))?.directory ?? '';
    await rm(join(sandbox, 'index.html'));
    const unhealthy = await update(id, 'unhealthy', (u) => u.status.hasHealthy === true && !u.status.healthy);
    expect(unhealthy.status.message).to.equal(
      `Health check failed: GET http://127.0.0.1:${port}/index.html answered HTTP 404`,
    );
    const killed = await update(id, 'TASK_KILLED', (u) => u.state === 'TASK_KILLED');
    expect(killed.status.reason).to.equal(HEALTH);
    expect(killed.status.healthy).to.equal(false);
    expect(killed.status.message).to.include('Killed for failing its health check 2 times in a row');
    await waitFor('the container removed', async () => (await containersOfTask(engine.docker, id)).length === 0);
  });

  it('COMMAND through docker exec, with the container environment and the check variables', async () => {
    f = await startFixture({ docker: { socketPath: engine.socketPath } });
    const id = t('exec-health');
    f.master.send(
      runDockerTask(id, 'exec sleep 60', {
        extra: {
          healthCheck: {
            type: COMMAND,
            command: {
              shell: true,
              value: 'test "$MESOS_TASK_ID" = "$WANT" && test -f /mnt/mesos/sandbox/ok',
              environment: { variables: [{ name: 'WANT', value: id }] },
            },
            intervalSeconds: 0.2,
            timeoutSeconds: 5,
            gracePeriodSeconds: 30,
            consecutiveFailures: 0,
          },
          killPolicy: { gracePeriodSeconds: 0 },
        },
      }),
    );
    await update(id, 'TASK_RUNNING', (u) => u.state === 'TASK_RUNNING');
    const sandbox = (await stateTask(f.agent, id))?.directory ?? '';
    await writeFile(join(sandbox, 'ok'), '');
    const healthy = await update(id, 'healthy', (u) => u.status.hasHealthy === true);
    expect(healthy.status.healthy).to.equal(true);
    await rm(join(sandbox, 'ok'));
    const unhealthy = await update(id, 'unhealthy', (u) => u.status.hasHealthy === true && !u.status.healthy);
    expect(unhealthy.status.message).to.equal('Health check failed: the check command exited with status 1');
    f.master.send(killTask(id, 0));
    const killed = await update(id, 'TASK_KILLED', (u) => u.state === 'TASK_KILLED');
    expect(killed.status.reason).to.not.equal(HEALTH);
  });
});
