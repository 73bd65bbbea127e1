// The Docker executor on a real Docker engine: a real agent, a fake master
// over real gRPC, real containers of the busybox test image.
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskStatusReason, v1 } from '@mesocosm/protocol';
import { startFixture, stateTask, stopFixture, type Fixture } from '../helpers/agent-fixture.js';
import { killTask } from '../helpers/tasks.js';
import { waitFor } from '../helpers/wait-for.js';
import { containersOfTask, runDockerTask, t } from './docker-tasks.js';
import { releaseDockerEngine, requireDockerEngine, type DockerEngineHandle } from './engine.js';

const { BRIDGE, NONE } = v1.ContainerInfo.DockerInfo.Network;

// A root hook: once every test file of the run is done, stop the dockerd this run started.
after(releaseDockerEngine);

describe('agent: Docker tasks on a real engine', function () {
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

  const start = (options: Parameters<typeof startFixture>[0] = {}) =>
    startFixture({ docker: { socketPath: engine.socketPath }, ...options });

  const update = (taskId: string, state: string) =>
    waitFor(state, () => f!.master.updates(taskId).find((u) => u.state === state), 30_000);

  it('serves HTTP from a BRIDGE container on a host port taken from the task ports', async () => {
    f = await start();
    const port = 31000 + Math.floor(Math.random() * 900);
    f.master.send(
      runDockerTask(
        t('web'),
        'mkdir -p /www && echo "hello from $MESOS_TASK_ID" > /www/index.html && exec httpd -f -p 8080 -h /www',
        {
          resources: `cpus:0.2;mem:32;ports:[${port}-${port}]`,
          docker: { network: BRIDGE, portMappings: [{ hostPort: port, containerPort: 8080 }] },
        },
      ),
    );
    await update(t('web'), 'TASK_RUNNING');
    const body = await waitFor('an HTTP answer', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      return res?.status === 200 ? res.text() : undefined;
    });
    expect(body).to.equal(`hello from ${t('web')}\n`);
    const [c] = await containersOfTask(engine.docker, t('web'));
    expect(c?.Names).to.deep.equal([`/mesocosm-${f.agentId}-${t('web')}-run-1`]);
    expect(c?.Labels).to.include({
      'mesocosm.agent_id': f.agentId,
      'mesocosm.framework_id': 'fw-1',
      'mesocosm.executor_id': t('web'),
      'mesocosm.task_id': t('web'),
    });
    const state = await stateTask(f.agent, t('web'));
    expect((state as unknown as { docker: { container_id: string } }).docker.container_id).to.equal(c?.Id);

    f.master.send(killTask(t('web'), 1));
    const killed = await update(t('web'), 'TASK_KILLED');
    expect(killed.status.message).to.include('Container exited');
    expect(f.master.states(t('web'))).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
    await waitFor('the container removed', async () => (await containersOfTask(engine.docker, t('web'))).length === 0);
  });

  it('streams stdout and stderr into the sandbox, with limits, env and exit code', async () => {
    f = await start();
    f.master.send(
      runDockerTask(
        t('out'),
        'echo "out $MESOS_TASK_ID $PORT0 $FOO"; echo err >&2; pwd; echo file > $MESOS_SANDBOX/made',
        {
          resources: 'cpus:0.5;mem:48;ports:[31990-31990]',
          extra: {},
        },
      ),
    );
    const finished = await update(t('out'), 'TASK_FINISHED');
    expect(finished.status.message).to.equal('Container exited with status 0');
    const dir = (await stateTask(f.agent, t('out')))!.directory!;
    expect(await readFile(join(dir, 'stdout'), 'utf8')).to.equal(`out ${t('out')} 31990 \n/mnt/mesos/sandbox\n`);
    expect(await readFile(join(dir, 'stderr'), 'utf8')).to.equal('err\n');
    expect(await readFile(join(dir, 'made'), 'utf8')).to.equal('file\n');

    f.master.send(
      runDockerTask(t('limits'), 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null; sleep 30', {
        resources: 'cpus:0.25;mem:48',
      }),
    );
    await update(t('limits'), 'TASK_RUNNING');
    const [c] = await containersOfTask(engine.docker, t('limits'));
    const info = await engine.docker.getContainer(c!.Id).inspect();
    expect(info.HostConfig.Memory).to.equal(48 * 1024 * 1024);
    expect(info.HostConfig.MemorySwap).to.equal(48 * 1024 * 1024);
    expect(info.HostConfig.NanoCpus).to.equal(250_000_000);

    f.master.send(runDockerTask(t('exit3'), 'echo oops >&2; exit 3'));
    const failed = await update(t('exit3'), 'TASK_FAILED');
    expect(failed.status.reason).to.equal(TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED);
    expect(failed.status.message).to.equal('Container exited with status 3');
  });

  it('ends a memory-capped container that overflows TASK_FAILED with an OOM reason', async () => {
    f = await start();
    f.master.send(
      runDockerTask(t('oom'), 'x=0123456789; while :; do x="$x$x"; done', { resources: 'cpus:0.5;mem:16' }),
    );
    const failed = await update(t('oom'), 'TASK_FAILED');
    expect(failed.status.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY);
    expect(failed.status.message).to.include('16 MB').and.include('OOM');
  });

  it('kills with SIGTERM, then SIGKILL after the grace period', async () => {
    f = await start();
    f.master.send(runDockerTask(t('stubborn'), "trap 'echo got-TERM' TERM; while :; do sleep 0.05; done"));
    await update(t('stubborn'), 'TASK_RUNNING');
    const killedAt = Date.now();
    f.master.send(killTask(t('stubborn'), 1));
    const killed = await update(t('stubborn'), 'TASK_KILLED');
    expect(killed.at - killedAt).to.be.at.least(900);
    const dir = (await stateTask(f.agent, t('stubborn')))!.directory!;
    expect(await readFile(join(dir, 'stdout'), 'utf8')).to.include('got-TERM');
  });

  it('mounts host paths (rw and ro) and named volumes, and runs NONE networking', async () => {
    f = await start();
    const host = await mkdtemp(join(tmpdir(), 'docker-vol-'));
    try {
      await writeFile(join(host, 'in'), 'from-host\n');
      const volume = `mesocosm-test-${Date.now()}`;
      f.master.send(
        runDockerTask(
          t('vols'),
          'cat /ro/in; echo written > /rw/out; echo named > /named/x; cat /named/x; echo no > /ro/x || echo ro-refused; ls /sys/class/net',
          {
            docker: { network: NONE },
            volumes: [
              { containerPath: '/ro', hostPath: host, mode: v1.Volume.Mode.RO },
              { containerPath: '/rw', hostPath: host },
              { containerPath: '/named', hostPath: volume },
            ],
          },
        ),
      );
      await update(t('vols'), 'TASK_FINISHED');
      const dir = (await stateTask(f.agent, t('vols')))!.directory!;
      expect(await readFile(join(dir, 'stdout'), 'utf8')).to.equal('from-host\nnamed\nro-refused\nlo\n');
      expect(await readFile(join(host, 'out'), 'utf8')).to.equal('written\n');
      await engine.docker.getVolume(volume).remove();
    } finally {
      await rm(host, { recursive: true, force: true });
    }
  });

  it('refuses bad input with a clear reason and leaves nothing behind', async () => {
    f = await start();
    const cases: [string, Parameters<typeof runDockerTask>[2], string][] = [
      [t('bad-image'), { docker: { image: 'Not/A:Valid:Ref' } }, 'not a valid Docker image reference'],
      [
        t('bad-port'),
        {
          resources: 'mem:32;ports:[31000-31000]',
          docker: { network: BRIDGE, portMappings: [{ hostPort: 31001, containerPort: 80 }] },
        },
        "host port 31001 is not in the task's ports resources",
      ],
      [t('bad-relative'), { volumes: [{ containerPath: '/d', hostPath: 'some/dir' }] }, 'is relative'],
      [t('bad-escape'), { volumes: [{ containerPath: '/d', hostPath: '/tmp/../etc' }] }, 'escapes'],
    ];
    for (const [taskId, options] of cases) f.master.send(runDockerTask(taskId, 'true', options));
    for (const [taskId, , words] of cases) {
      const error = await update(taskId, 'TASK_ERROR');
      expect(error.status.reason).to.equal(TaskStatusReason.REASON_TASK_INVALID);
      expect(error.status.message).to.include(words);
      expect(f.master.states(taskId)).to.deep.equal(['TASK_ERROR']);
      expect(await containersOfTask(engine.docker, taskId)).to.deep.equal([]);
    }
    expect(await readdir(join(f.workDir, 'sandboxes')).then((d) => d.length)).to.equal(0);
  });

  it('fails a task whose image is missing and cannot be pulled, or cannot be force-pulled', async () => {
    f = await start();
    f.master.send(runDockerTask(t('missing'), 'true', { docker: { image: 'localhost:1/mesocosm/none:1' } }));
    f.master.send(runDockerTask(t('forced'), 'true', { docker: { forcePullImage: true } }));
    const missing = await update(t('missing'), 'TASK_FAILED');
    expect(missing.status.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED);
    expect(missing.status.message).to.include(
      "The image 'localhost:1/mesocosm/none:1' is not on this agent and cannot be pulled",
    );
    const forced = await update(t('forced'), 'TASK_FAILED');
    expect(forced.status.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED);
    expect(forced.status.message).to.include('Cannot pull the image').and.include('force_pull_image');
    expect(await readdir(join(f.workDir, 'sandboxes')).then((d) => d.length)).to.equal(0);
  });
});
