// The executor driver against a fake agent over real gRPC.
import { expect } from 'chai';
import {
  ExecutorCallType,
  ExecutorDriver,
  ExecutorEnvironmentError,
  ExecutorEventType,
  ExecutorRefusedError,
  FakeClock,
  TaskState,
  TaskStatusSource,
  readExecutorEnvironment,
  runExecutor,
  silentLogger,
  type ExecutorEnvironment,
  type ExecutorEvent,
} from '../src/index.js';
import { FakeAgent } from './helpers/fake-agent.js';
import { waitFor } from './helpers/wait-for.js';

function env(agent: FakeAgent): ExecutorEnvironment {
  return { agentEndpoint: agent.address, executorId: 'ex-1', frameworkId: 'fw-1', agentId: 'ag-1', sandbox: '/tmp/s' };
}

describe('readExecutorEnvironment', () => {
  it('reads MESOCOSM_* variables, and Mesos aliases when those are absent', () => {
    expect(
      readExecutorEnvironment({
        MESOCOSM_AGENT_ENDPOINT: '127.0.0.1:5061',
        MESOCOSM_EXECUTOR_ID: 'e',
        MESOCOSM_FRAMEWORK_ID: 'f',
        MESOCOSM_AGENT_ID: 'a',
        MESOCOSM_SANDBOX: '/s',
      }),
    ).to.deep.equal({
      agentEndpoint: '127.0.0.1:5061',
      executorId: 'e',
      frameworkId: 'f',
      agentId: 'a',
      sandbox: '/s',
    });
    expect(
      readExecutorEnvironment({
        MESOS_AGENT_ENDPOINT: 'h:1',
        MESOS_EXECUTOR_ID: 'e',
        MESOS_FRAMEWORK_ID: 'f',
        MESOS_SLAVE_ID: 'a',
        MESOS_DIRECTORY: '/d',
      }),
    ).to.deep.equal({ agentEndpoint: 'h:1', executorId: 'e', frameworkId: 'f', agentId: 'a', sandbox: '/d' });
  });

  it('names the missing or malformed variable', () => {
    expect(() => readExecutorEnvironment({ MESOCOSM_AGENT_ENDPOINT: 'h:1', MESOCOSM_EXECUTOR_ID: 'e' }))
      .to.throw(ExecutorEnvironmentError)
      .with.property('variable', 'MESOCOSM_FRAMEWORK_ID');
    expect(() =>
      readExecutorEnvironment({
        MESOCOSM_AGENT_ENDPOINT: 'nope',
        MESOCOSM_EXECUTOR_ID: 'e',
        MESOCOSM_FRAMEWORK_ID: 'f',
      }),
    ).to.throw(/MESOCOSM_AGENT_ENDPOINT 'nope' is not host:port/);
  });
});

describe('ExecutorDriver', function () {
  this.timeout(10_000);
  let agent: FakeAgent;
  let driver: ExecutorDriver | undefined;
  beforeEach(async () => {
    agent = await FakeAgent.start();
  });
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    await agent.stop();
  });

  it('subscribes with its IDs, and hands events to callbacks and iterators in order', async () => {
    driver = new ExecutorDriver({ environment: env(agent), logger: silentLogger });
    const seen: string[] = [];
    driver.on('launch', ({ task }) => void seen.push(`launch ${task?.taskId?.value}`));
    driver.on(
      'kill',
      ({ taskId, killPolicy }) => void seen.push(`kill ${taskId?.value} ${killPolicy?.gracePeriodSeconds}`),
    );
    driver.on('message', ({ data }) => void seen.push(`message ${Buffer.from(data ?? []).toString()}`));
    driver.on('shutdown', () => void seen.push('shutdown'));
    const iterated: ExecutorEvent[] = [];
    const it = driver.events();
    const subscribed = await driver.start();
    expect(subscribed.executorInfo?.executorId?.value).to.equal('ex-1');
    const sub = agent.callsOfType(ExecutorCallType.SUBSCRIBE)[0]!;
    expect(sub.executorId?.value).to.equal('ex-1');
    expect(sub.frameworkId?.value).to.equal('fw-1');

    agent.send({ type: ExecutorEventType.LAUNCH, launch: { task: { taskId: { value: 't1' } } } });
    agent.send({
      type: ExecutorEventType.KILL,
      kill: { taskId: { value: 't1' }, killPolicy: { gracePeriodSeconds: 2 } },
    });
    agent.send({ type: ExecutorEventType.MESSAGE, message: { data: Buffer.from('hi') } });
    agent.send({ type: ExecutorEventType.SHUTDOWN });
    await waitFor(() => seen.length === 4, 'four events');
    expect(seen).to.deep.equal(['launch t1', 'kill t1 2', 'message hi', 'shutdown']);
    for (let i = 0; i < 5; i++) iterated.push((await it.next()).value as ExecutorEvent);
    expect(iterated.map((e) => ExecutorEventType[e.type])).to.deep.equal([
      'SUBSCRIBED',
      'LAUNCH',
      'KILL',
      'MESSAGE',
      'SHUTDOWN',
    ]);
  });

  it('stamps updates (uuid, source, timestamp, IDs) and forgets them once ACKNOWLEDGED', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    driver = new ExecutorDriver({ environment: env(agent), logger: silentLogger, clock });
    await driver.start();
    const sent = driver.update({ taskId: { value: 't1' }, state: TaskState.TASK_RUNNING, data: Buffer.from('x') });
    expect(sent.uuid).to.have.length(16);
    expect(sent.source).to.equal(TaskStatusSource.SOURCE_EXECUTOR);
    expect(sent.timestamp).to.equal(1_700_000_000);
    expect(sent.executorId?.value).to.equal('ex-1');
    expect(sent.agentId?.value).to.equal('ag-1');
    const update = await waitFor(() => agent.callsOfType(ExecutorCallType.UPDATE)[0], 'the UPDATE');
    expect(update.update?.status?.taskId?.value).to.equal('t1');
    expect(Buffer.from(update.update?.status?.uuid ?? []).equals(Buffer.from(sent.uuid!))).to.equal(true);
    expect(Buffer.from(update.update?.status?.data ?? []).toString()).to.equal('x');
    expect(driver.unacknowledgedUpdates()).to.have.length(1);

    agent.send({ type: ExecutorEventType.ACKNOWLEDGED, acknowledged: { taskId: { value: 't1' }, uuid: sent.uuid } });
    await waitFor(() => driver!.unacknowledgedUpdates().length === 0, 'the update forgotten');
    expect(() => driver!.update({ state: TaskState.TASK_RUNNING })).to.throw(/task_id/);
  });

  it('subscribes again after the stream breaks, carrying unacknowledged tasks and updates', async () => {
    driver = new ExecutorDriver({ environment: env(agent), logger: silentLogger, reconnectBackoffMs: 10 });
    const disconnected: boolean[] = [];
    driver.on('disconnected', ({ willReconnect }) => void disconnected.push(willReconnect));
    // Once both LAUNCHes have been received, t1 is RUNNING.
    const d = driver;
    const runningSent = new Promise<ReturnType<ExecutorDriver['update']>>((resolve) =>
      d.on('launch', ({ task }) => {
        if (task?.taskId?.value === 't2') resolve(d.update({ taskId: { value: 't1' }, state: TaskState.TASK_RUNNING }));
      }),
    );
    await driver.start();
    agent.send({ type: ExecutorEventType.LAUNCH, launch: { task: { taskId: { value: 't1' } } } });
    agent.send({ type: ExecutorEventType.LAUNCH, launch: { task: { taskId: { value: 't2' } } } });
    const running = await runningSent;
    await waitFor(() => agent.callsOfType(ExecutorCallType.UPDATE).length === 1, 'the UPDATE');
    agent.send({ type: ExecutorEventType.ACKNOWLEDGED, acknowledged: { taskId: { value: 't1' }, uuid: running.uuid } });
    await waitFor(() => driver!.unacknowledgedUpdates().length === 0, 'the ack');
    const finished = driver.update({ taskId: { value: 't1' }, state: TaskState.TASK_FINISHED });

    agent.end();
    await waitFor(() => !driver!.isSubscribed, 'the driver to notice');
    driver.sendMessage('while away');
    await waitFor(() => agent.streams.length === 2 && driver!.isSubscribed, 'a second subscription');
    const resub = agent.streams[1]!.calls[0]!;
    expect(resub.type).to.equal(ExecutorCallType.SUBSCRIBE);
    // t1 had an acknowledged update: only t2 is still unacknowledged.
    expect(resub.subscribe?.unacknowledgedTasks?.map((t) => t.taskId?.value)).to.deep.equal(['t2']);
    const carried = resub.subscribe?.unacknowledgedUpdates ?? [];
    expect(carried.map((s) => Buffer.from(s.uuid ?? []).toString('hex'))).to.deep.equal([
      Buffer.from(finished.uuid!).toString('hex'),
    ]);
    const message = await waitFor(
      () => agent.streams[1]!.calls.find((c) => c.type === ExecutorCallType.MESSAGE),
      'the message',
    );
    expect(Buffer.from(message.message?.data ?? []).toString()).to.equal('while away');
    await waitFor(() => disconnected.length === 1, 'a disconnected callback');
    expect(disconnected).to.deep.equal([true]);
  });

  it('rejects start() when the agent refuses the executor, and stops', async () => {
    agent.refuseWith = "no executor 'ex-1' of framework 'fw-1' was launched by this agent";
    driver = new ExecutorDriver({ environment: env(agent), logger: silentLogger });
    const errors: string[] = [];
    driver.on('error', ({ message }) => void errors.push(message ?? ''));
    const err = await driver.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ExecutorRefusedError);
    expect((err as Error).message).to.contain("no executor 'ex-1'");
    await driver.stopped;
    expect(errors).to.deep.equal([agent.refuseWith]);
    expect(agent.streams).to.have.length(1);
  });
});

describe('runExecutor', function () {
  this.timeout(10_000);
  let agent: FakeAgent;
  beforeEach(async () => {
    agent = await FakeAgent.start();
  });
  afterEach(() => agent.stop());

  function states(): string[] {
    return agent
      .callsOfType(ExecutorCallType.UPDATE)
      .map((c) => `${c.update?.status?.taskId?.value} ${TaskState[c.update?.status?.state ?? 0]}`);
  }

  it('runs each LAUNCH, reports its result or its kill, and returns on SHUTDOWN', async () => {
    const aborted: string[] = [];
    const run = runExecutor(
      {
        launch: async (task, ctx) => {
          const what = Buffer.from(task.data ?? []).toString();
          if (what === 'fail') throw new Error('bad input');
          if (what === 'wait')
            await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
          return { data: `done ${ctx.taskId}` };
        },
        kill: (taskId) => void aborted.push(taskId),
      },
      { environment: env(agent), logger: silentLogger },
    );
    await waitFor(() => agent.current?.calls.length === 1, 'the SUBSCRIBE');
    const launch = (id: string, data: string): void =>
      agent.send({
        type: ExecutorEventType.LAUNCH,
        launch: { task: { taskId: { value: id }, data: Buffer.from(data) } },
      });
    launch('ok', 'go');
    launch('bad', 'fail');
    launch('slow', 'wait');
    await waitFor(() => states().includes('slow TASK_RUNNING'), 'slow running');
    agent.send({ type: ExecutorEventType.KILL, kill: { taskId: { value: 'slow' } } });
    await waitFor(() => states().includes('slow TASK_KILLED'), 'slow killed');
    const updates = agent.callsOfType(ExecutorCallType.UPDATE).map((c) => c.update?.status);
    const ok = updates.find((s) => s?.taskId?.value === 'ok' && s.state === TaskState.TASK_FINISHED);
    expect(Buffer.from(ok?.data ?? []).toString()).to.equal('done ok');
    const bad = updates.find((s) => s?.taskId?.value === 'bad' && s.state === TaskState.TASK_FAILED);
    expect(bad?.message).to.equal('bad input');
    expect(aborted).to.deep.equal(['slow']);
    for (const id of ['ok', 'bad', 'slow'])
      expect(states().filter((s) => s.startsWith(`${id} `))[0]).to.equal(`${id} TASK_RUNNING`);

    agent.send({ type: ExecutorEventType.SHUTDOWN });
    await run;
  });
});
