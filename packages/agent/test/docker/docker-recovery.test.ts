// A restarted agent and its Docker containers: re-attach, report, clean up.
import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger, TaskState, v1 } from '@mesocosm/protocol';
import { Agent } from '../../src/index.js';
import { containerLabels } from '../../src/docker/container-labels.js';
import { startFixture, stateTask, stopFixture, type Fixture } from '../helpers/agent-fixture.js';
import { killTask } from '../helpers/tasks.js';
import { waitFor } from '../helpers/wait-for.js';
import { containersOfTask, runDockerTask, t } from './docker-tasks.js';
import { requireDockerEngine, TEST_IMAGE, type DockerEngineHandle } from './engine.js';

describe('agent: recovering Docker containers after a restart', function () {
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

  const restart = async (fixture: Fixture): Promise<Agent> => {
    await fixture.agent.stop();
    fixture.agent = await Agent.start({
      master: fixture.master.address,
      workDir: fixture.workDir,
      ip: '127.0.0.1',
      port: 0,
      resources: 'cpus:2;mem:1024;disk:1024',
      registrationBackoffMs: 50,
      defaultKillGracePeriodMs: 500,
      killTasksOnExit: true,
      docker: { socketPath: engine.socketPath },
      logger: silentLogger,
    });
    await fixture.agent.registered();
    return fixture.agent;
  };

  const lines = async (file: string): Promise<string[]> =>
    (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');

  it('re-attaches to a running container: reports it on re-registration, resumes its logs, kills it', async () => {
    f = await startFixture({ killTasksOnExit: false, docker: { socketPath: engine.socketPath } });
    f.master.send(runDockerTask(t('long'), 'i=0; while :; do echo line-$i; i=$((i+1)); sleep 0.05; done'));
    await waitFor('RUNNING', () => f!.master.states(t('long')).includes('TASK_RUNNING'));
    const dir = (await stateTask(f.agent, t('long')))!.directory!;
    await waitFor('some output', async () => (await lines(join(dir, 'stdout'))).length >= 3);
    await f.agent.stop();
    const [c] = await containersOfTask(engine.docker, t('long'));
    expect(c?.State).to.equal('running');
    // Output the stopped agent did not see: only the new agent can write it.
    const before = (await lines(join(dir, 'stdout'))).length;
    await waitFor('lines while the agent is away', async () => {
      const logs = await engine.docker.getContainer(c!.Id).logs({ stdout: true, follow: false });
      return logs.toString().split('line-').length - 1 > before + 5;
    });

    const again = await restart(f);
    const rereg = f.master.callsOfType(v1.AgentCall.Type.REREGISTER).at(-1)!;
    expect(rereg.register?.tasks?.map((t) => [t.frameworkId?.value, t.task?.taskId?.value])).to.deep.equal([
      ['fw-1', t('long')],
    ]);
    expect(rereg.register?.tasks?.[0]?.task?.container?.docker?.image).to.equal(TEST_IMAGE);
    expect(rereg.register?.tasks?.map((t) => t.status?.state)).to.deep.equal([TaskState.TASK_RUNNING]);
    expect((await stateTask(again, t('long')))?.state).to.equal('TASK_RUNNING');

    await waitFor('the log resumed', async () => (await lines(join(dir, 'stdout'))).length > before + 10);
    const out = await lines(join(dir, 'stdout'));
    // Nothing lost and nothing written twice across the restart.
    expect(out).to.deep.equal(out.map((_, i) => `line-${i}`));

    f.master.send(killTask(t('long'), 1));
    await waitFor('KILLED', () => f!.master.states(t('long')).includes('TASK_KILLED'));
    await waitFor('the container removed', async () => (await containersOfTask(engine.docker, t('long'))).length === 0);
  });

  it('reports a container that ended while the agent was away', async () => {
    f = await startFixture({ killTasksOnExit: false, docker: { socketPath: engine.socketPath } });
    f.master.send(
      runDockerTask(t('brief'), 'echo start; while [ ! -e $MESOS_SANDBOX/go ]; do sleep 0.05; done; echo end; exit 4'),
    );
    await waitFor('RUNNING', () => f!.master.states(t('brief')).includes('TASK_RUNNING'));
    const dir = (await stateTask(f.agent, t('brief')))!.directory!;
    await f.agent.stop();
    const [c] = await containersOfTask(engine.docker, t('brief'));
    await writeFile(join(dir, 'go'), '');
    await waitFor(
      'the container exited',
      async () => (await engine.docker.getContainer(c!.Id).inspect()).State.Running === false,
    );

    await restart(f);
    const failed = await waitFor('FAILED', () => f!.master.updates(t('brief')).find((u) => u.state === 'TASK_FAILED'));
    expect(failed.status.message).to.equal('Container exited with status 4');
    expect(await lines(join(dir, 'stdout'))).to.deep.equal(['start', 'end']);
    await waitFor(
      'the container removed',
      async () => (await containersOfTask(engine.docker, t('brief'))).length === 0,
    );
  });

  it("removes orphans of its work dir at start, and leaves other work dirs' containers alone", async () => {
    f = await startFixture({ docker: { socketPath: engine.socketPath } });
    const make = (taskId: string, agentId: string, workDir: string) =>
      engine.docker.createContainer({
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
        Labels: containerLabels({
          agentId,
          frameworkId: 'fw-1',
          taskId,
          workDir,
          sandbox: join(workDir, 'nowhere'),
          task: { taskId: { value: taskId } },
          framework: { id: { value: 'fw-1' } },
        }),
      });
    const orphan = await make(t('orphan'), 'some-earlier-agent', f.workDir);
    const foreign = await make(t('foreign'), 'another-agent', '/elsewhere');
    try {
      await orphan.start();
      await foreign.start();
      await restart(f);
      expect(await containersOfTask(engine.docker, t('orphan'))).to.deep.equal([]);
      expect((await containersOfTask(engine.docker, t('foreign'))).map((c) => c.State)).to.deep.equal(['running']);
      expect(f.master.callsOfType(v1.AgentCall.Type.REREGISTER).at(-1)?.register?.tasks).to.deep.equal([]);
    } finally {
      await foreign.remove({ force: true });
      await orphan.remove({ force: true }).catch(() => undefined);
    }
  });
});
