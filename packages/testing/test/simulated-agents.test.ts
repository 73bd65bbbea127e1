// LocalCluster for framework authors: simulated agents on a TestClock,
// waiting for task states, losing an agent.
import { expect } from 'chai';
import { TaskState, taskStateName } from '@mesocosm/framework-sdk';
import { LocalCluster, LocalClusterError, TaskStateError, TestClock, WaitTimeoutError, waitFor } from '../src/index.js';
import { startFramework, type TestFramework } from './cluster-framework.js';

describe('LocalCluster with simulated agents', function () {
  this.timeout(60_000);
  const clusters: LocalCluster[] = [];
  const frameworks: TestFramework[] = [];
  const start = async (...args: Parameters<typeof LocalCluster.start>): Promise<LocalCluster> => {
    const c = await LocalCluster.start(...args);
    clusters.push(c);
    return c;
  };
  const framework = async (...args: Parameters<typeof startFramework>): Promise<TestFramework> => {
    const f = await startFramework(...args);
    frameworks.push(f);
    return f;
  };
  afterEach(async () => {
    await Promise.all(frameworks.splice(0).map((f) => f.stop()));
    await Promise.all(clusters.splice(0).map((c) => c.stop()));
  });

  it('a task runs exactly its run time on the cluster clock: RUNNING at 4 999 ms, FINISHED at 5 000', async () => {
    const clock = new TestClock();
    const cluster = await start({ clock, agents: [{ simulated: { runMs: 5_000 }, hostname: 'sim-a' }] });
    expect(cluster.agents[0]).to.include({ simulated: true, running: true, httpUrl: '' });
    const fw = await framework(cluster.masterUrl, [{ taskId: 'sim-1' }]);

    const running = await cluster.waitForTask('sim-1', 'TASK_RUNNING');
    expect(running.slave_id).to.equal(cluster.agents[0]!.agentId);
    expect(running.framework_id).to.equal(fw.frameworkId);
    await cluster.advance(4_999);
    expect(cluster.simulatedTasks(0).map((t) => [t.taskId, t.state])).to.deep.equal([
      ['sim-1', TaskState.TASK_RUNNING],
    ]);
    await cluster.advance(1);
    expect(cluster.simulatedTasks(0)[0]?.state).to.equal(TaskState.TASK_FINISHED);

    const done = await cluster.waitForTask('sim-1', 'TASK_FINISHED');
    expect(done.list).to.equal('completed_tasks');
    expect(done.statuses.map((s) => s.state)).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    // The framework saw the same three updates (each acknowledged, so each next one was sent).
    const seen = await waitFor(() => {
      const states = fw.statuses.filter((s) => s.taskId?.value === 'sim-1').map((s) => taskStateName(s.state));
      return states.length === 3 && states;
    });
    expect(seen).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    // The framework's acknowledgement of TASK_FINISHED reaches the agent, which then holds nothing unsent.
    await waitFor(() => cluster.simulatedTasks(0)[0]?.unacknowledged === 0, { message: 'FINISHED acknowledged' });
  });

  it('waitForTask fails at once, with the reason, when the task ended in another state', async () => {
    const cluster = await start({ agents: [{ simulated: { runMs: 0, finalState: TaskState.TASK_FAILED } }] });
    await framework(cluster.masterUrl, [{ taskId: 'bad-1' }]);
    const started = Date.now();
    const err = await cluster.waitForTask('bad-1', 'TASK_FINISHED', { timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TaskStateError);
    expect((err as Error).message).to.match(/task 'bad-1': ended TASK_FAILED.*not TASK_FINISHED/);
    expect((err as TaskStateError).task?.state).to.equal('TASK_FAILED');
    expect(Date.now() - started).to.be.below(20_000);
  });

  it('waitForTask times out naming where the task stands; waitForTasks returns the predicate value', async () => {
    const cluster = await start({ agents: [{ simulated: { runMs: () => undefined } }] }); // runs until killed
    const fw = await framework(cluster.masterUrl, [{ taskId: 'long-1' }, { taskId: 'long-2' }]);
    const ids = await cluster.waitForTasks(
      (ts) => ts.filter((t) => t.state === 'TASK_RUNNING').length === 2 && ts.map((t) => t.id).sort(),
      { frameworkId: fw.frameworkId },
    );
    expect(ids).to.deep.equal(['long-1', 'long-2']);

    const late = await cluster.waitForTask('long-1', 'TASK_FINISHED', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(late).to.be.instanceOf(WaitTimeoutError);
    expect((late as Error).message).to.match(/task 'long-1' in TASK_FINISHED: its state is TASK_RUNNING/);
    const unknown = await cluster.waitForTask('nope', 'TASK_RUNNING', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect((unknown as Error).message).to.match(/task 'nope' .*not in \/master\/state/);
    const none = await cluster.waitForTask('long-1', []).catch((e: unknown) => e);
    expect(none).to.be.instanceOf(TaskStateError);

    // A kill ends a simulated task TASK_KILLED.
    fw.scheduler.driver.kill('long-2');
    await cluster.waitForTask('long-2', 'TASK_KILLED');
    expect(cluster.simulatedTasks(0).find((t) => t.taskId === 'long-2')?.state).to.equal(TaskState.TASK_KILLED);
  });

  it('restartAgent: a simulated agent re-registers with its ID and its running tasks', async () => {
    const cluster = await start({ agents: [{ simulated: { runMs: () => undefined } }] });
    await framework(cluster.masterUrl, [{ taskId: 'kept-1' }]);
    await cluster.waitForTask('kept-1', 'TASK_RUNNING');
    const before = cluster.agents[0]!;
    await cluster.killAgent(0);
    expect(cluster.agents[0]!.running).to.equal(false);
    const after = await cluster.restartAgent(0);
    expect(after.agentId).to.equal(before.agentId);
    await cluster.waitForAgents(1);
    const task = await cluster.waitForTask('kept-1', 'TASK_RUNNING');
    expect(task.slave_id).to.equal(before.agentId);
  });

  it('loseAgent: with a TestClock the master gives up on the agent at once; its task goes TASK_LOST', async () => {
    const clock = new TestClock();
    const cluster = await start({
      clock,
      agents: [
        { simulated: { runMs: () => undefined }, hostname: 'doomed' },
        { simulated: true, resources: 'cpus:0.05;mem:8' }, // too small for the task: it stays idle
      ],
    });
    const fw = await framework(cluster.masterUrl, [{ taskId: 'lost-1' }]);
    await cluster.waitForTask('lost-1', 'TASK_RUNNING');
    // 75 s of master time (15 s pings x 5) pass in a few real milliseconds.
    const lost = await cluster.loseAgent(0);
    expect(lost.running).to.equal(false);
    const task = await cluster.waitForTask('lost-1', 'TASK_LOST');
    expect(task.statuses.at(-1)?.reason).to.equal('REASON_AGENT_REMOVED');
    expect(fw.statuses.map((s) => taskStateName(s.state))).to.include('TASK_LOST');
    // The other agent answered its pings meanwhile: still active.
    const state = await fetch(`${cluster.masterHttp}/master/state`).then(
      (r) => r.json() as Promise<{ slaves: { id: string; status: string }[] }>,
    );
    expect(state.slaves.find((s) => s.id === cluster.agents[1]!.agentId)?.status).to.equal('connected');
  });

  it('loseAgent refuses an in-process real agent (it cannot vanish without killing and reporting its tasks)', async () => {
    const cluster = await start({ agents: 1 });
    const err = await cluster.loseAgent(0).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LocalClusterError);
    expect((err as Error).message).to.match(/use mode 'processes' or a simulated agent/);
    expect(cluster.agents[0]!.running).to.equal(true); // nothing was done
  });

  it('refuses options that cannot work, before starting anything', async () => {
    const refused = async (o: Parameters<typeof LocalCluster.start>[0]): Promise<string> => {
      const err = await LocalCluster.start(o).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(LocalClusterError);
      return (err as Error).message;
    };
    expect(await refused({ masters: 2 })).to.match(/2 masters need ZooKeeper.*give zk/);
    expect(await refused({ masters: 0 })).to.match(/masters must be a whole number of at least 1/);
    expect(await refused({ mode: 'processes', clock: new TestClock() })).to.match(/clock works in mode 'in-process'/);
    expect(await refused({ zk: '127.0.0.1:1', agents: [{ simulated: true }] })).to.match(/simulated agents .* drop zk/);

    const cluster = await start({ agents: [{ simulated: true }] });
    expect(() => cluster.simulatedTasks(5)).to.throw(/there is no agent 5/);
    const message = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'resolved',
        (e: unknown) => (e as Error).message,
      );
    expect(await message(cluster.advance(10))).to.match(/advance\(\) needs a fake clock/);
    expect(await message(cluster.failover())).to.match(/failover\(\) needs masters in ZooKeeper/);
  });
});
