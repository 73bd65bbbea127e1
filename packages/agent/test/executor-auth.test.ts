// Executor authentication for real: a real agent, the test executor
// (test/fixtures/test-executor.ts, on the SDK's ExecutorDriver) as real
// processes, and raw grpc-js clients of the executor API that try without a
// token, with a wrong one, and with executor A's token as executor B. The
// executors read their token from the environment the agent gave them; the
// tests read it the same way, from /proc/<pid>/environ.
import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ExecutorDriver, ExecutorRefusedError, silentLogger } from '@mesocosm/framework-sdk';
import { ExecutorCallType, TaskState, TaskStatusSource, capturingLogger } from '@mesocosm/protocol';
import { issueExecutorToken } from '../src/executor-api/executor-token.js';
import { getJson, startFixture, stateTask, stopFixture, type Fixture } from './helpers/agent-fixture.js';
import { killAgentProcess, type AgentProcess } from './helpers/agent-process.js';
import { alive, executorInfo, executorMessage, runExecutorTask } from './helpers/executor-tasks.js';
import { rawExecutorStream, subscribeCall, type RawOutcome } from './helpers/raw-executor-client.js';
import { useRecoveryFixture } from './helpers/recovery-fixture.js';
import { FRAMEWORK_ID, killTask } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

/** The environment a process was started with. */
async function environOf(pid: number): Promise<Record<string, string>> {
  const raw = await readFile(`/proc/${pid}/environ`, 'utf8');
  const env: Record<string, string> = {};
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** The executor API address and token an executor process was given. */
async function executorAccess(pid: number): Promise<{ endpoint: string; token: string }> {
  const env = await environOf(pid);
  const token = env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN'];
  const endpoint = env['MESOCOSM_AGENT_ENDPOINT'];
  if (!token || !endpoint) throw new Error(`executor ${pid} has no token or endpoint in its environment`);
  return { endpoint, token };
}

/** Every file under `dir` whose content includes `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, 'latin1').catch(() => '');
    if (text.includes(needle)) found.push(path);
  }
  return found;
}

function expectRefused(outcome: RawOutcome, code: grpc.status, details: string): void {
  expect(grpc.status[outcome.status.code], outcome.status.details).to.equal(grpc.status[code]);
  expect(outcome.status.details).to.contain(details);
  expect(outcome.events, 'nothing is sent to a refused caller').to.deep.equal([]);
}

describe('agent: executor authentication', function () {
  this.timeout(60_000);
  let f: Fixture | undefined;

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  const runningPid = async (taskId: string): Promise<number> => {
    await waitFor(`${taskId} RUNNING`, () => f!.master.states(taskId).includes('TASK_RUNNING'));
    const pid = (await stateTask(f!.agent, taskId))?.pid;
    if (!pid) throw new Error(`no executor pid for ${taskId}`);
    return pid;
  };

  it("refuses raw clients without a token, with a wrong one, and with A's token as B; the agent and the executors carry on", async () => {
    const logs: string[] = [];
    f = await startFixture({ logger: capturingLogger(logs) });
    const { master } = f;
    master.send(runExecutorTask('a1', executorInfo('exec-a'), 'run'));
    master.send(runExecutorTask('b1', executorInfo('exec-b'), 'run'));
    const [pidA, pidB] = [await runningPid('a1'), await runningPid('b1')];
    const a = await executorAccess(pidA);
    const b = await executorAccess(pidB);
    expect(a.endpoint).to.equal(f.agent.grpcAddress);
    expect(a.token).not.to.equal(b.token);

    const asA = subscribeCall(FRAMEWORK_ID, 'exec-a');
    expectRefused(
      await rawExecutorStream(a.endpoint, undefined, [asA]),
      grpc.status.UNAUTHENTICATED,
      "no 'authorization' metadata",
    );
    expectRefused(
      await rawExecutorStream(a.endpoint, 'Basic dXNlcjpwYXNz', [asA]),
      grpc.status.UNAUTHENTICATED,
      "is not 'Bearer <token>'",
    );
    expectRefused(
      await rawExecutorStream(a.endpoint, 'Bearer not-a-token', [asA]),
      grpc.status.UNAUTHENTICATED,
      'not an executor token',
    );
    const otherAgents = issueExecutorToken(
      { frameworkId: FRAMEWORK_ID, executorId: 'exec-a', containerId: 'whatever' },
      (data) => createHmac('sha256', 'another agent').update(data).digest(),
    );
    expectRefused(
      await rawExecutorStream(a.endpoint, `Bearer ${otherAgents}`, [asA]),
      grpc.status.UNAUTHENTICATED,
      'was not issued by this agent',
    );
    // A's token, subscribing as B, or sending B's task update without subscribing.
    expectRefused(
      await rawExecutorStream(a.endpoint, `Bearer ${a.token}`, [subscribeCall(FRAMEWORK_ID, 'exec-b')]),
      grpc.status.PERMISSION_DENIED,
      "the token was issued to executor 'exec-a' of framework 'fw-1': it may not act as executor 'exec-b'",
    );
    const forgedUpdate = {
      type: ExecutorCallType.UPDATE,
      frameworkId: { value: FRAMEWORK_ID },
      executorId: { value: 'exec-b' },
      update: { status: { taskId: { value: 'b1' }, state: TaskState.TASK_FINISHED, uuid: Buffer.alloc(16, 1) } },
    };
    expectRefused(
      await rawExecutorStream(a.endpoint, `Bearer ${a.token}`, [forgedUpdate]),
      grpc.status.PERMISSION_DENIED,
      "may not act as executor 'exec-b'",
    );
    // The driver too: a refusal ends it (no retrying with a token that cannot work).
    for (const [token, executorId, code] of [
      ['x.y.z', 'exec-a', 'UNAUTHENTICATED'],
      [a.token, 'exec-b', 'PERMISSION_DENIED'],
    ] as const) {
      const driver = new ExecutorDriver({
        environment: {
          agentEndpoint: a.endpoint,
          executorId,
          frameworkId: FRAMEWORK_ID,
          agentId: '',
          sandbox: '',
          authenticationToken: token,
        },
        logger: silentLogger,
      });
      const refused = await driver.start().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(refused).to.be.instanceOf(ExecutorRefusedError);
      expect((refused as ExecutorRefusedError).code).to.equal(code);
      await driver.stopped;
    }

    // The agent is up, and both real executors work on.
    expect(master.states('b1')).to.deep.equal(['TASK_RUNNING']);
    master.send(executorMessage('exec-a', 'still there?'));
    await waitFor('the message echoed by exec-a', () =>
      master.updates('a1').some((u) => u.status.message === 'got: still there?'),
    );
    master.send(runExecutorTask('b2', executorInfo('exec-b'), 'finish'));
    await waitFor('b2 FINISHED', () => master.states('b2').includes('TASK_FINISHED'));
    const finished = master.updates('b2').find((u) => u.state === 'TASK_FINISHED')!;
    expect(Buffer.from(finished.status.data ?? []).toString()).to.equal(`b2@${pidB}`);
    master.send(killTask('a1', 5));
    await waitFor('a1 KILLED', () => master.states('a1').includes('TASK_KILLED'));
    expect(master.updates('a1').at(-1)!.status.source).to.equal(TaskStatusSource.SOURCE_EXECUTOR);

    // The refusals were logged, the tokens never: not in logs, /state or anything in the work dir.
    expect(logs.some((l) => l.includes('refusing an unauthenticated executor stream'))).to.equal(true);
    const state = JSON.stringify((await getJson(`${f.agent.httpUrl}/state`)).body);
    for (const token of [a.token, b.token]) {
      expect(logs.filter((l) => l.includes(token))).to.deep.equal([]);
      expect(state).not.to.contain(token);
      expect(await filesContaining(f.workDir, token)).to.deep.equal([]);
    }
  });

  it('refuses the token of an earlier run of the same executor ID', async () => {
    f = await startFixture();
    const { master } = f;
    master.send(runExecutorTask('first', executorInfo('exec-again'), 'run'));
    const firstPid = await runningPid('first');
    const old = await executorAccess(firstPid);
    master.send(killTask('first', 5));
    await waitFor('the first executor to exit', () => !alive(firstPid));
    master.send(runExecutorTask('second', executorInfo('exec-again'), 'run'));
    const secondPid = await runningPid('second');
    expect(secondPid).not.to.equal(firstPid);
    expectRefused(
      await rawExecutorStream(old.endpoint, `Bearer ${old.token}`, [subscribeCall(FRAMEWORK_ID, 'exec-again')]),
      grpc.status.PERMISSION_DENIED,
      "the token was issued to an earlier run of executor 'exec-again'",
    );
    master.send(killTask('second', 5));
    await waitFor('second KILLED by its executor', () => master.states('second').includes('TASK_KILLED'));
  });
});

describe('agent: executor authentication across a kill -9 of the agent', function () {
  this.timeout(60_000);
  const fx = useRecoveryFixture('agent-executor-auth-', { executorReregistrationTimeoutMs: 6_000 });

  const runningPid = async (a: AgentProcess, taskId: string): Promise<{ pid: number; sandbox: string }> => {
    await waitFor(`${taskId} RUNNING`, () => fx.master.states(taskId).includes('TASK_RUNNING'));
    const { body } = await getJson<{ tasks: { id: string; pid: number | null; directory: string | null }[] }>(
      `${a.httpUrl}/state`,
    );
    const task = body.tasks.find((t) => t.id === taskId);
    if (!task?.pid) throw new Error(`no executor pid for ${taskId}`);
    return { pid: task.pid, sandbox: task.directory ?? '' };
  };

  it('a reattached executor still authenticates with the token it was started with', async () => {
    const first = await fx.start();
    fx.master.send(runExecutorTask('kept', executorInfo('exec-kept'), 'run'));
    const { pid, sandbox } = await runningPid(first, 'kept');
    fx.pids.add(pid);
    const access = await executorAccess(pid);
    const subscriptions = async (): Promise<number> =>
      (await readFile(join(sandbox, 'stderr'), 'utf8')).split('subscribed\n').length - 1;
    expect(await subscriptions()).to.equal(1);

    await killAgentProcess(first);
    const second = await fx.start();
    expect(second.agentId).to.equal(first.agentId);
    await waitFor('the executor to subscribe to the new agent', async () => (await subscriptions()) === 2);
    // The new agent checks the same token: valid (its signature), for exec-kept only.
    expectRefused(
      await rawExecutorStream(access.endpoint, `Bearer ${access.token}`, [subscribeCall(FRAMEWORK_ID, 'exec-other')]),
      grpc.status.PERMISSION_DENIED,
      "issued to executor 'exec-kept'",
    );
    expectRefused(
      await rawExecutorStream(access.endpoint, undefined, [subscribeCall(FRAMEWORK_ID, 'exec-kept')]),
      grpc.status.UNAUTHENTICATED,
      "no 'authorization' metadata",
    );
    fx.master.send(killTask('kept', 5));
    await waitFor('kept KILLED by its executor', () => fx.master.states('kept').includes('TASK_KILLED'));
    expect(fx.master.updates('kept').at(-1)!.status.source).to.equal(TaskStatusSource.SOURCE_EXECUTOR);
  });
});
