// The fetcher for Docker tasks on a real engine: URIs land in the sandbox,
// which the container sees at /mnt/mesos/sandbox; a failed fetch creates no
// container. Skipped without Docker (failing with CI=true).
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskStatusReason } from '@mesocosm/protocol';
import { containersOfTask, runDockerTask, t } from '../docker/docker-tasks.js';
import { releaseDockerEngine, requireDockerEngine, type DockerEngineHandle } from '../docker/engine.js';
import { startFixture, stateTask, stopFixture, type Fixture } from '../helpers/agent-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
import { serveFiles, type FileServer } from './serve-files.js';

after(releaseDockerEngine);

describe('agent: fetching URIs for Docker tasks', function () {
  this.timeout(60_000);
  let engine: DockerEngineHandle;
  let f: Fixture | undefined;
  let server: FileServer | undefined;

  before(async function () {
    this.timeout(600_000);
    engine = await requireDockerEngine(this);
  });

  afterEach(async () => {
    await stopFixture(f);
    await server?.close();
    f = undefined;
    server = undefined;
  });

  const ended = (taskId: string) =>
    waitFor(
      `${taskId} to end`,
      () => f!.master.updates(taskId).find((u) => ['TASK_FINISHED', 'TASK_FAILED'].includes(u.state)),
      30_000,
    );

  it('fetches into the sandbox the container runs in; a 404 fails the task before any container exists', async () => {
    server = await serveFiles({ '/run.sh': 'echo "fetched script ran in $MESOS_SANDBOX"\n' });
    f = await startFixture({ docker: { socketPath: engine.socketPath } });
    // The agent fetches (the container does not): the file is in the sandbox it mounts.
    f.master.send(
      runDockerTask(t('fetch-ok'), 'sh /mnt/mesos/sandbox/bin/run.sh', {
        extra: {
          command: {
            shell: true,
            value: 'sh /mnt/mesos/sandbox/bin/run.sh',
            uris: [{ value: `${server.url}/run.sh`, outputFile: 'bin/run.sh' }],
          },
        },
      }),
    );
    f.master.send(
      runDockerTask(t('fetch-404'), 'true', {
        extra: {
          command: { shell: true, value: 'true', uris: [{ value: `${server.url}/nothing.tgz`, extract: true }] },
        },
      }),
    );
    const ok = await ended(t('fetch-ok'));
    expect(ok.state, ok.status.message ?? '').to.equal('TASK_FINISHED');
    const dir = (await stateTask(f.agent, t('fetch-ok')))?.directory ?? '';
    await waitFor('stdout written', async () => (await readFile(join(dir, 'stdout'), 'utf8').catch(() => '')) !== '');
    expect(await readFile(join(dir, 'stdout'), 'utf8')).to.equal('fetched script ran in /mnt/mesos/sandbox\n');

    const failed = await ended(t('fetch-404'));
    expect(failed.state).to.equal('TASK_FAILED');
    expect(failed.status.reason).to.equal(TaskStatusReason.REASON_FETCHER_FAILED);
    expect(failed.status.message).to.include(`Failed to fetch '${server.url}/nothing.tgz'`).and.include('HTTP 404');
    expect(f.master.states(t('fetch-404'))).to.deep.equal(['TASK_STARTING', 'TASK_FAILED']);
    expect(await containersOfTask(engine.docker, t('fetch-404'))).to.deep.equal([]);
  });
});
