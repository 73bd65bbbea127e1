// Agent recovery: the agent is a real child process, killed with SIGKILL and
// restarted on the same work dir; its command tasks must survive and be
// re-attached to, not relaunched.
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentCallType, TaskState, type AgentCall } from '@mesocosm/protocol';
import { getJson, type StateTask } from './helpers/agent-fixture.js';
import { killAgentProcess, type AgentProcess } from './helpers/agent-process.js';
import { processStartTime } from '../src/checkpoint/process-identity.js';
import { useRecoveryFixture } from './helpers/recovery-fixture.js';
import { killTask, runShellTask } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

/** True while `pid` runs (a zombie waiting for init to reap it does not). */
const alive = (pid: number): boolean => processStartTime(pid) !== undefined;

describe('agent: recovery after kill -9', function () {
  this.timeout(60_000);
  const fx = useRecoveryFixture('agent-recovery-');
  const { pids, start } = fx;

  const stateTasks = async (a: AgentProcess): Promise<StateTask[]> =>
    (await getJson<{ tasks: StateTask[] }>(`${a.httpUrl}/state`)).body.tasks;

  const runningPid = async (a: AgentProcess, taskId: string): Promise<number> => {
    await waitFor(`${taskId} RUNNING`, () => fx.master.states(taskId).includes('TASK_RUNNING'));
    const pid = (await stateTasks(a)).find((t) => t.id === taskId)?.pid ?? undefined;
    if (pid === undefined) throw new Error(`no pid for ${taskId}`);
    pids.add(pid);
    return pid;
  };

  const lastReregister = (): AgentCall | undefined => fx.master.callsOfType(AgentCallType.REREGISTER).at(-1);

  it('re-attaches to running tasks: same ID, same pids, reported RUNNING, not relaunched; they can be killed', async () => {
    const first = await start();
    fx.master.send(runShellTask('t1', 'sleep 120'));
    fx.master.send(runShellTask('t2', 'sleep 120'));
    const [p1, p2] = [await runningPid(first, 't1'), await runningPid(first, 't2')];
    await killAgentProcess(first);
    expect(alive(p1) && alive(p2)).to.equal(true);

    const second = await start();
    expect(second.agentId).to.equal(first.agentId);
    const rereg = lastReregister();
    expect(rereg?.agentId?.value).to.equal(first.agentId);
    const reported = (rereg?.register?.tasks ?? []).map((t) => [t.task?.taskId?.value, t.status?.state]).sort();
    expect(reported).to.deep.equal([
      ['t1', TaskState.TASK_RUNNING],
      ['t2', TaskState.TASK_RUNNING],
    ]);
    const after = (await stateTasks(second)).map((t) => [t.id, t.state, t.pid]).sort();
    expect(after).to.deep.equal([
      ['t1', 'TASK_RUNNING', p1],
      ['t2', 'TASK_RUNNING', p2],
    ]);
    // Nothing launched again: no second STARTING, and the processes are the same.
    expect(fx.master.states('t1')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING']);
    expect(fx.master.states('t2')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING']);
    expect(alive(p1) && alive(p2)).to.equal(true);

    // The re-attached task is watched: killing it works and is reported.
    fx.master.send(killTask('t1', 1));
    await waitFor('t1 KILLED', () => fx.master.states('t1').includes('TASK_KILLED'));
    expect(alive(p1)).to.equal(false);
    expect(alive(p2)).to.equal(true);
  });

  it('reports a task that ended while the agent was down with the exit status it recorded', async () => {
    const first = await start();
    // Each waits for a file the test creates once the agent is dead.
    fx.master.send(runShellTask('ok', 'while [ ! -e go ]; do sleep 0.05; done; exit 0'));
    fx.master.send(runShellTask('bad', 'while [ ! -e go ]; do sleep 0.05; done; exit 3'));
    const [pOk, pBad] = [await runningPid(first, 'ok'), await runningPid(first, 'bad')];
    const dirs = Object.fromEntries((await stateTasks(first)).map((t) => [t.id, t.directory ?? '']));
    await killAgentProcess(first);
    await writeFile(join(dirs['ok'] ?? '', 'go'), '');
    await writeFile(join(dirs['bad'] ?? '', 'go'), '');
    await waitFor('both tasks ended', () => !alive(pOk) && !alive(pBad));

    await start();
    await waitFor('ok FINISHED', () => fx.master.states('ok').includes('TASK_FINISHED'));
    await waitFor('bad FAILED', () => fx.master.states('bad').includes('TASK_FAILED'));
    expect(fx.master.states('ok')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    expect(fx.master.updates('ok').at(-1)?.status.message).to.equal('Command exited with status 0');
    expect(fx.master.updates('bad').at(-1)?.status.message).to.equal('Command exited with status 3');
  });

  it('resends an update that was not acknowledged at the kill, with the same uuid, after re-registering', async () => {
    fx.master.autoAck = false;
    const first = await start();
    fx.master.send(runShellTask('slow-ack', 'sleep 120'));
    const starting = await waitFor('STARTING', () => fx.master.updates('slow-ack')[0]);
    expect(starting.state).to.equal('TASK_STARTING');
    // RUNNING is queued behind the unacknowledged STARTING: wait for the process instead.
    const pid = await waitFor(
      'a pid',
      async () => (await stateTasks(first)).find((t) => t.id === 'slow-ack')?.pid ?? undefined,
    );
    pids.add(pid);
    await killAgentProcess(first);
    const before = fx.master.calls.length;

    await start();
    const rereg = fx.master.calls.findIndex((c, i) => i >= before && c.call.type === AgentCallType.REREGISTER);
    expect(rereg).to.be.greaterThanOrEqual(0);
    const resent = await waitFor('STARTING resent', () =>
      fx.master.updates('slow-ack').find((u, i) => i > 0 && u.uuid === starting.uuid),
    );
    expect(resent.state).to.equal('TASK_STARTING');
    const resentAt = fx.master.calls.findIndex(
      (c, i) =>
        i > before && c.call.type === AgentCallType.UPDATE && c.call.update?.status?.taskId?.value === 'slow-ack',
    );
    expect(resentAt).to.be.greaterThan(rereg);
    fx.master.ack(resent);
    // Then, in order, the RUNNING update of the re-attached task.
    const running = await waitFor('RUNNING', () =>
      fx.master.updates('slow-ack').find((u) => u.state === 'TASK_RUNNING'),
    );
    expect(fx.master.states('slow-ack')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING']);
    expect(running.uuid).to.not.equal(starting.uuid);
    expect(alive(pid)).to.equal(true);
  });

  it("recover: 'cleanup' kills the previous run's tasks and registers as a new agent", async () => {
    const first = await start();
    fx.master.send(runShellTask('doomed', 'sleep 120'));
    const pid = await runningPid(first, 'doomed');
    await killAgentProcess(first);
    expect(alive(pid)).to.equal(true);

    const second = await start({ recover: 'cleanup' });
    expect(alive(pid)).to.equal(false);
    expect(second.agentId).to.not.equal(first.agentId);
    expect(fx.master.callsOfType(AgentCallType.REREGISTER)).to.have.length(0);
    expect(await stateTasks(second)).to.deep.equal([]);
  });
});
