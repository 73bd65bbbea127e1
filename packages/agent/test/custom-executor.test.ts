// Custom executors for real: a real agent, a fake master over real gRPC, and
// the test executor (test/fixtures/test-executor.ts, on the SDK's
// ExecutorDriver) as a real process speaking the executor API.
import { expect } from 'chai';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ExecutorDriver, ExecutorRefusedError, silentLogger } from '@mesocosm/framework-sdk';
import { TaskStatusReason, TaskStatusSource } from '@mesocosm/protocol';
import { startFixture, stateTask, stopFixture, type Fixture } from './helpers/agent-fixture.js';
import { alive, executorInfo, executorMessage, runExecutorTask } from './helpers/executor-tasks.js';
import { FRAMEWORK_ID, killTask } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

describe('agent: custom executors', function () {
  this.timeout(30_000);
  let f: Fixture | undefined;

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  function terminal(taskId: string): Promise<string> {
    const states = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST'];
    return waitFor(`a terminal state of ${taskId}`, () => f!.master.states(taskId).find((s) => states.includes(s)));
  }

  it('runs three tasks on one executor process in its own sandbox, then shuts it down', async () => {
    f = await startFixture();
    const { master, agent } = f;
    const info = executorInfo('exec-3');
    for (const id of ['t1', 't2', 't3']) master.send(runExecutorTask(id, info, 'finish'));
    for (const id of ['t1', 't2', 't3']) expect(await terminal(id)).to.equal('TASK_FINISHED');

    const finished = ['t1', 't2', 't3'].map((id) => master.updates(id).find((u) => u.state === 'TASK_FINISHED')!);
    const pids = finished.map(
      (u) =>
        Buffer.from(u.status.data ?? [])
          .toString()
          .split('@')[1],
    );
    expect(new Set(pids).size, 'one executor pid for all three').to.equal(1);
    const pid = Number(pids[0]);
    expect(pid).to.be.greaterThan(0);
    for (const id of ['t1', 't2', 't3']) {
      expect(master.states(id)).to.deep.equal(['TASK_RUNNING', 'TASK_FINISHED']);
      for (const u of master.updates(id)) {
        expect(u.frameworkId).to.equal(FRAMEWORK_ID);
        expect(u.status.executorId?.value).to.equal('exec-3');
        expect(u.status.source).to.equal(TaskStatusSource.SOURCE_EXECUTOR);
        expect(u.status.agentId?.value).to.equal(f.agentId);
        expect(u.uuid).to.have.length(32);
      }
    }
    const sandbox = join(f.workDir, 'sandboxes', FRAMEWORK_ID, 'executors', 'exec-3', 'run-1');
    expect((await stat(sandbox)).isDirectory()).to.equal(true);
    const t1 = await waitFor('t1 in /state', () => stateTask(agent, 't1'));
    expect(t1.directory).to.equal(sandbox);
    expect(t1.pid).to.equal(pid);

    // The master's acknowledgements reach the executor; with no task left it is shut down and exits.
    await waitFor('the executor to exit after SHUTDOWN', () => !alive(pid));
    const stderr = await readFile(join(sandbox, 'stderr'), 'utf8');
    for (const id of ['t1', 't2', 't3']) expect(stderr).to.contain(`acknowledged ${id}\n`);
    expect(stderr).to.contain('shutdown\n');
  });

  it('kills a task through its executor, and gives a later task the running executor', async () => {
    f = await startFixture();
    const { master } = f;
    const info = executorInfo('exec-kill');
    master.send(runExecutorTask('long', info, 'run'));
    await waitFor('long RUNNING', () => master.states('long').includes('TASK_RUNNING'));
    master.send(runExecutorTask('later', info, 'finish'));
    expect(await terminal('later')).to.equal('TASK_FINISHED');
    const laterPid = Buffer.from(master.updates('later').at(-1)!.status.data ?? [])
      .toString()
      .split('@')[1];
    const longPid = (await stateTask(f.agent, 'long'))?.pid;
    expect(Number(laterPid)).to.equal(longPid);

    master.send(killTask('long', 5));
    expect(await terminal('long')).to.equal('TASK_KILLED');
    const killed = master.updates('long').at(-1)!;
    expect(killed.status.message).to.equal('killed by the test executor');
    expect(killed.status.source).to.equal(TaskStatusSource.SOURCE_EXECUTOR);
    await waitFor('the executor to exit', () => !alive(longPid!));
  });

  it('kills the executor when it does not end a killed task within the grace period', async () => {
    f = await startFixture();
    const { master } = f;
    master.send(runExecutorTask('stubborn', executorInfo('exec-stubborn'), 'ignore-kill'));
    await waitFor('stubborn RUNNING', () => master.states('stubborn').includes('TASK_RUNNING'));
    const pid = (await stateTask(f.agent, 'stubborn'))!.pid!;
    master.send(killTask('stubborn', 0.2));
    expect(await terminal('stubborn')).to.equal('TASK_KILLED');
    expect(master.updates('stubborn').at(-1)!.status.source).to.equal(TaskStatusSource.SOURCE_AGENT);
    expect(alive(pid)).to.equal(false);
  });

  it('delivers framework messages to the executor', async () => {
    f = await startFixture();
    const { master } = f;
    master.send(runExecutorTask('listener', executorInfo('exec-msg'), 'run'));
    await waitFor('listener RUNNING', () => master.states('listener').includes('TASK_RUNNING'));
    master.send(executorMessage('exec-msg', 'hello executor'));
    await waitFor('the message echoed in an update', () =>
      master.updates('listener').some((u) => u.status.message === 'got: hello executor'),
    );
  });

  it('fails the tasks of an executor that crashes with REASON_EXECUTOR_TERMINATED', async () => {
    f = await startFixture();
    const { master } = f;
    const info = executorInfo('exec-crash');
    master.send(runExecutorTask('bystander', info, 'run'));
    await waitFor('bystander RUNNING', () => master.states('bystander').includes('TASK_RUNNING'));
    master.send(runExecutorTask('crasher', info, 'crash'));
    for (const id of ['bystander', 'crasher']) {
      expect(await terminal(id)).to.equal('TASK_FAILED');
      const last = master.updates(id).at(-1)!;
      expect(last.status.reason).to.equal(TaskStatusReason.REASON_EXECUTOR_TERMINATED);
      expect(last.status.message).to.equal('Executor exited with status 3');
    }
  });

  it('refuses an executor with IDs it did not launch', async () => {
    // The registry's own refusal: without executor authentication, which refuses such a caller first
    // (executor-auth.test.ts).
    f = await startFixture({ authenticateHttpExecutors: false });
    const { master } = f;
    master.send(runExecutorTask('real', executorInfo('exec-real'), 'run'));
    await waitFor('real RUNNING', () => master.states('real').includes('TASK_RUNNING'));
    for (const [executorId, frameworkId] of [
      ['exec-foreign', FRAMEWORK_ID],
      ['exec-real', 'another-framework'],
    ] as const) {
      const driver = new ExecutorDriver({
        environment: { agentEndpoint: f.agent.grpcAddress, executorId, frameworkId, agentId: '', sandbox: '' },
        logger: silentLogger,
      });
      const refused = await driver.start().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(refused).to.be.instanceOf(ExecutorRefusedError);
      expect((refused as Error).message).to.contain(`no executor '${executorId}' of framework '${frameworkId}'`);
      await driver.stopped;
    }
    // The real executor is unaffected.
    master.send(runExecutorTask('real-2', executorInfo('exec-real'), 'finish'));
    expect(await terminal('real-2')).to.equal('TASK_FINISHED');
  });

  it('kills an executor that never subscribes and fails its tasks', async () => {
    f = await startFixture({ executorRegistrationTimeoutMs: 300 });
    const { master } = f;
    master.send(runExecutorTask('orphan', executorInfo('exec-mute', 'sleep 30'), 'finish'));
    expect(await terminal('orphan')).to.equal('TASK_FAILED');
    const last = master.updates('orphan').at(-1)!;
    expect(last.status.reason).to.equal(TaskStatusReason.REASON_EXECUTOR_TERMINATED);
    expect(last.status.message).to.equal('Executor did not subscribe within 0.3 s and was killed');
  });

  it('fails a task whose executor cannot be started', async () => {
    f = await startFixture();
    const { master } = f;
    const info = { ...executorInfo('exec-missing'), command: { value: '/nonexistent/executor', arguments: ['x'] } };
    master.send(runExecutorTask('nowhere', info, 'finish'));
    expect(await terminal('nowhere')).to.equal('TASK_FAILED');
    const last = master.updates('nowhere').at(-1)!;
    expect(last.status.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED);
    expect(last.status.message).to.contain('/nonexistent/executor');
  });
});
