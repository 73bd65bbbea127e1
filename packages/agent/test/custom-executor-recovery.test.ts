// Custom executors across an agent restart: the agent is a real child
// process killed with SIGKILL and restarted on the same work dir; the test
// executor (test/fixtures/test-executor.ts, on the SDK's ExecutorDriver) is
// a real process that must re-subscribe to the new agent and keep its tasks.
import { expect } from 'chai';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentCallType, TaskState, TaskStatusReason, TaskStatusSource } from '@mesocosm/protocol';
import { processStartTime } from '../src/checkpoint/process-identity.js';
import { getJson, type StateTask } from './helpers/agent-fixture.js';
import { killAgentProcess, type AgentProcess } from './helpers/agent-process.js';
import { executorInfo, runExecutorTask } from './helpers/executor-tasks.js';
import { useRecoveryFixture } from './helpers/recovery-fixture.js';
import { killTask } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

/** True while `pid` runs (a zombie waiting for init to reap it does not). */
const alive = (pid: number): boolean => processStartTime(pid) !== undefined;

describe('agent: custom executors across a kill -9 of the agent', function () {
  this.timeout(60_000);
  const fx = useRecoveryFixture('agent-executor-recovery-', {
    // Generous for a loaded test machine; the default (2 s) is measured separately.
    executorReregistrationTimeoutMs: 6_000,
  });
  const { pids, start } = fx;

  const stateTasks = async (a: AgentProcess): Promise<StateTask[]> =>
    (await getJson<{ tasks: StateTask[] }>(`${a.httpUrl}/state`)).body.tasks;

  /** Waits for the tasks to run on one executor and returns its pid and sandbox. */
  const runningExecutor = async (a: AgentProcess, taskIds: string[]): Promise<{ pid: number; sandbox: string }> => {
    for (const id of taskIds) await waitFor(`${id} RUNNING`, () => fx.master.states(id).includes('TASK_RUNNING'));
    const tasks = (await stateTasks(a)).filter((t) => taskIds.includes(t.id));
    const pid = tasks[0]?.pid ?? undefined;
    if (pid === undefined) throw new Error('no executor pid');
    expect(new Set(tasks.map((t) => t.pid))).to.deep.equal(new Set([pid]));
    pids.add(pid);
    return { pid, sandbox: tasks[0]?.directory ?? '' };
  };

  const stderrOf = (sandbox: string): Promise<string> => readFile(join(sandbox, 'stderr'), 'utf8');

  /** The distinct uuids of a task's updates in `state`. */
  const uuidsIn = (taskId: string, state: string): Set<string> =>
    new Set(
      fx.master
        .updates(taskId)
        .filter((u) => u.state === state)
        .map((u) => u.uuid),
    );

  const checkpointFiles = async (): Promise<string[]> =>
    (await readdir(join(fx.workDir, 'meta', 'executors'), { recursive: true }).catch(() => [])).filter((f) =>
      f.endsWith('.json'),
    );

  it('re-attaches to a running executor: same pid, same tasks, kills reach it, an update made while the agent was down arrives once', async () => {
    const first = await start();
    const info = executorInfo('exec-keep');
    fx.master.send(runExecutorTask('a', info, 'run'));
    fx.master.send(runExecutorTask('b', info, 'finish-on-go'));
    const { pid, sandbox } = await runningExecutor(first, ['a', 'b']);
    expect(await checkpointFiles()).to.have.length(1);
    const acks = async (): Promise<number> => (await stderrOf(sandbox)).split('acknowledged b\n').length - 1;
    await waitFor("b's RUNNING acknowledged to the executor", async () => (await acks()) === 1);
    await killAgentProcess(first);
    expect(alive(pid)).to.equal(true);

    // While the agent is down the executor finishes b: the update waits in its driver.
    await writeFile(join(sandbox, 'go-b'), '');
    await waitFor('b finished while the agent is down', async () =>
      (await stderrOf(sandbox)).includes('sent TASK_FINISHED b\n'),
    );

    const second = await start();
    expect(second.agentId).to.equal(first.agentId);
    const rereg = fx.master.callsOfType(AgentCallType.REREGISTER).at(-1);
    const reported = new Map((rereg?.register?.tasks ?? []).map((t) => [t.task?.taskId?.value, t.status?.state]));
    expect(reported.get('a')).to.equal(TaskState.TASK_RUNNING);
    await waitFor('the executor re-subscribed', async () => (await stderrOf(sandbox)).split('subscribed\n').length > 2);

    // b's update, sent while the agent was down, reaches the framework once (one uuid).
    await waitFor('b FINISHED', () => fx.master.states('b').includes('TASK_FINISHED'));
    expect(uuidsIn('b', 'TASK_FINISHED').size).to.equal(1);
    expect(fx.master.states('b')).to.deep.equal(['TASK_RUNNING', 'TASK_FINISHED']);
    const finished = fx.master.updates('b').find((u) => u.state === 'TASK_FINISHED');
    expect(Buffer.from(finished?.status.data ?? []).toString()).to.equal(`b@${pid}`);
    expect(finished?.status.source).to.equal(TaskStatusSource.SOURCE_EXECUTOR);

    // Not relaunched: the same process, a's single RUNNING, and the agent knows a at that pid.
    expect(alive(pid)).to.equal(true);
    expect(uuidsIn('a', 'TASK_RUNNING').size).to.equal(1);
    const a = (await stateTasks(second)).find((t) => t.id === 'a');
    expect([a?.state, a?.pid, a?.directory]).to.deep.equal(['TASK_RUNNING', pid, sandbox]);
    // The framework's acknowledgement of FINISHED reaches the executor through the new agent.
    await waitFor("b's FINISHED acknowledged to the executor", async () => (await acks()) === 2);

    // A kill through the restarted agent reaches the executor, which ends the task itself.
    fx.master.send(killTask('a', 5));
    await waitFor('a KILLED', () => fx.master.states('a').includes('TASK_KILLED'));
    const killed = fx.master.updates('a').at(-1);
    expect(killed?.status.message).to.equal('killed by the test executor');
    expect(killed?.status.source).to.equal(TaskStatusSource.SOURCE_EXECUTOR);
    // Nothing left to run: SHUTDOWN, the process exits, and its checkpoint goes.
    await waitFor('the executor to exit', () => !alive(pid));
    await waitFor('the checkpoint removed', async () => (await checkpointFiles()).length === 0);
  });

  it("resends an executor's update left unacknowledged at the kill once, with its uuid, and acknowledges it to the executor", async () => {
    fx.master.autoAck = false;
    const first = await start();
    fx.master.send(runExecutorTask('g', executorInfo('exec-unacked'), 'run'));
    const running = await waitFor('g RUNNING', () => fx.master.updates('g').find((u) => u.state === 'TASK_RUNNING'));
    const { sandbox } = await runningExecutor(first, ['g']);
    await killAgentProcess(first);

    // The restarted agent resends it from its checkpoint; the executor resends it in SUBSCRIBE.
    await start();
    await waitFor('the executor re-subscribed', async () => (await stderrOf(sandbox)).split('subscribed\n').length > 2);
    const resent = await waitFor('RUNNING resent', () =>
      fx.master.updates('g').find((u, i) => i > 0 && u.uuid === running.uuid),
    );
    // Queued once (the agent's checkpointed copy and the executor's resend share the uuid).
    const queue = await readFile(join(fx.workDir, 'meta', 'status-updates.json'), 'utf8');
    const queued = (JSON.parse(queue) as { streams: { taskId: string; pending: { uuid: string }[] }[] }).streams
      .filter((st) => st.taskId === 'g')
      .flatMap((st) => st.pending.map((u) => u.uuid));
    expect(queued).to.deep.equal([running.uuid]);
    fx.master.ack(resent);
    await waitFor('the acknowledgement reaches the executor', async () =>
      (await stderrOf(sandbox)).includes('acknowledged g\n'),
    );
    fx.master.autoAck = true;
    fx.master.send(killTask('g', 5));
    await waitFor('g KILLED', () => fx.master.states('g').includes('TASK_KILLED'));
    expect(fx.master.states('g')).to.deep.equal(['TASK_RUNNING', 'TASK_KILLED']);
    // The kill reached the reattached executor, which reported it (the agent then shuts the
    // executor down, its last task ended: whether it is still alive now is a race).
    const killed = fx.master.updates('g').find((u) => u.state === 'TASK_KILLED');
    expect(killed?.status.message).to.equal('killed by the test executor');
  });

  it('fails, once, the tasks of an executor that died while the agent was down', async () => {
    const first = await start();
    const info = executorInfo('exec-dies');
    fx.master.send(runExecutorTask('c', info, 'run'));
    fx.master.send(runExecutorTask('d', info, 'run'));
    const { pid } = await runningExecutor(first, ['c', 'd']);
    await killAgentProcess(first);
    process.kill(-pid, 'SIGKILL');
    await waitFor('the executor gone', () => !alive(pid));

    await start();
    // Known at recovery, before re-registering: reported as failed, not as running.
    const rereg = fx.master.callsOfType(AgentCallType.REREGISTER).at(-1);
    for (const t of rereg?.register?.tasks ?? []) expect(t.status?.state).to.equal(TaskState.TASK_FAILED);
    for (const id of ['c', 'd']) {
      await waitFor(`${id} FAILED`, () => fx.master.states(id).includes('TASK_FAILED'));
      expect(fx.master.states(id)).to.deep.equal(['TASK_RUNNING', 'TASK_FAILED']);
      const failed = fx.master.updates(id).filter((u) => u.state === 'TASK_FAILED');
      expect(failed).to.have.length(1);
      expect(failed[0]?.status.reason).to.equal(TaskStatusReason.REASON_EXECUTOR_TERMINATED);
      expect(failed[0]?.status.message).to.equal('Executor terminated while the agent was down');
      expect(failed[0]?.status.source).to.equal(TaskStatusSource.SOURCE_AGENT);
    }
    await waitFor('the checkpoint removed', async () => (await checkpointFiles()).length === 0);
  });

  it('kills an executor that does not re-subscribe within the re-registration timeout and fails its tasks once', async () => {
    const first = await start();
    fx.master.send(runExecutorTask('e', executorInfo('exec-mute'), 'run'));
    const { pid } = await runningExecutor(first, ['e']);
    await killAgentProcess(first);
    // A stopped executor cannot re-subscribe.
    process.kill(pid, 'SIGSTOP');

    await start({ executorReregistrationTimeoutMs: 500 });
    await waitFor('e FAILED', () => fx.master.states('e').includes('TASK_FAILED'));
    await waitFor('the executor killed', () => !alive(pid));
    const failed = fx.master.updates('e').filter((u) => u.state === 'TASK_FAILED');
    expect(failed).to.have.length(1);
    expect(failed[0]?.status.reason).to.equal(TaskStatusReason.REASON_EXECUTOR_TERMINATED);
    expect(failed[0]?.status.message).to.equal(
      'Executor did not re-subscribe within 0.5 s after the agent restarted and was killed',
    );
    expect(fx.master.states('e')).to.deep.equal(['TASK_RUNNING', 'TASK_FAILED']);
  });

  it("recover: 'cleanup' kills the previous run's executors and forgets them", async () => {
    const first = await start();
    fx.master.send(runExecutorTask('f', executorInfo('exec-doomed'), 'run'));
    const { pid } = await runningExecutor(first, ['f']);
    await killAgentProcess(first);
    expect(alive(pid)).to.equal(true);

    const second = await start({ recover: 'cleanup' });
    expect(alive(pid)).to.equal(false);
    expect(second.agentId).to.not.equal(first.agentId);
    expect(await checkpointFiles()).to.deep.equal([]);
    expect(await stateTasks(second)).to.deep.equal([]);
  });
});
