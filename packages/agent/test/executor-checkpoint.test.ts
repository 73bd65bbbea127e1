// Custom executor checkpoints and their reconciliation with the status
// update queue after a restart. Pure, no processes.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskState, TaskStatusSource } from '@mesocosm/protocol';
import {
  decodeExecutorCheckpoint,
  encodeExecutorCheckpoint,
  readExecutorCheckpoints,
  removeExecutorCheckpoint,
  writeExecutorCheckpoint,
  type ExecutorCheckpoint,
} from '../src/checkpoint/executor-checkpoint.js';
import { recoveredExecutorApiPorts } from '../src/executor-api/bind-executor-api.js';
import { latestState, restoreCustomTask } from '../src/executors/custom-checkpoint.js';
import { executorEnvironment } from '../src/executors/custom-environment.js';
import { TaskBook } from '../src/tasks/task-book.js';
import { executorInfo } from './helpers/executor-tasks.js';

const checkpoint = (over: Partial<ExecutorCheckpoint> = {}): ExecutorCheckpoint => ({
  frameworkId: 'fw-1',
  executorId: 'ex-1',
  containerId: 'e-1',
  info: executorInfo('ex-1'),
  framework: { id: { value: 'fw-1' }, name: 'test', user: 'root' },
  pid: 4242,
  pidStartTime: 99,
  limits: { memMb: 288, cpus: 0.2 },
  sandbox: '/w/sandboxes/fw-1/executors/ex-1/run-1',
  endpoint: '127.0.0.1:40123',
  exited: false,
  tasks: [
    {
      taskId: 't1',
      task: { name: 't1', taskId: { value: 't1' }, data: Buffer.from('run') },
      state: TaskState.TASK_RUNNING,
      killRequested: false,
      launched: true,
      heardFrom: true,
      uuids: { aa: 'acknowledged', bb: 'pending' },
    },
  ],
  ...over,
});

describe('custom executor checkpoints', () => {
  let workDir: string | undefined;
  afterEach(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
    workDir = undefined;
  });

  it('round-trips, ExecutorInfo, FrameworkInfo and TaskInfo bytes included', () => {
    const c = checkpoint();
    const back = decodeExecutorCheckpoint(encodeExecutorCheckpoint(c));
    expect(back.info.executorId?.value).to.equal('ex-1');
    expect(back.info.command?.arguments).to.deep.equal(c.info.command?.arguments);
    expect(back.framework.name).to.equal('test');
    expect(Buffer.from(back.tasks[0]?.task.data ?? []).toString()).to.equal('run');
    const { info: _i, framework: _f, tasks, ...rest } = back;
    const { info: _ci, framework: _cf, tasks: cTasks, ...cRest } = c;
    expect(rest).to.deep.equal(cRest);
    expect(tasks.map(({ task: _t, ...t }) => t)).to.deep.equal(cTasks.map(({ task: _t, ...t }) => t));
    expect(() => decodeExecutorCheckpoint('{"kind":"command"}')).to.throw('not a custom executor checkpoint');
  });

  it('keeps one file per run, and removes a run without touching the others', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'executor-checkpoint-'));
    writeExecutorCheckpoint(workDir, checkpoint({ containerId: 'e-old', exited: true }));
    writeExecutorCheckpoint(workDir, checkpoint({ containerId: 'e-new' }));
    expect(
      readExecutorCheckpoints(workDir)
        .executors.map((e) => e.containerId)
        .sort(),
    ).to.deep.equal(['e-new', 'e-old']);
    removeExecutorCheckpoint({ frameworkId: 'fw-1', executorId: 'ex-1', containerId: 'e-old' }, workDir);
    expect(readExecutorCheckpoints(workDir).executors.map((e) => e.containerId)).to.deep.equal(['e-new']);
  });

  it('reconciles the executor uuids with the update queue, which may be one step ahead', () => {
    const record = new TaskBook().add({
      frameworkId: 'fw-1',
      taskId: 't1',
      task: {},
      framework: {},
      containerId: 'e-1',
    });
    const c = checkpoint().tasks[0]!;
    const pending = [
      // Queued before the crash, after 'bb' was acknowledged: newer than the checkpoint.
      { uuid: 'cc', status: { state: TaskState.TASK_FINISHED, source: TaskStatusSource.SOURCE_EXECUTOR } },
    ];
    expect(latestState(c, pending)).to.equal(TaskState.TASK_FINISHED);
    expect(latestState(c, [])).to.equal(TaskState.TASK_RUNNING);
    const task = restoreCustomTask(record, c, pending);
    expect(Object.fromEntries(task.uuids)).to.deep.equal({ aa: 'acknowledged', bb: 'acknowledged', cc: 'pending' });
    expect([task.launched, task.heardFrom]).to.deep.equal([true, true]);
  });

  it('serves the executor API where the live executors of the previous run expect it', () => {
    expect(
      recoveredExecutorApiPorts([
        checkpoint({ endpoint: '127.0.0.1:5061' }),
        checkpoint({ endpoint: '127.0.0.1:40000', exited: true }),
        checkpoint({ endpoint: '127.0.0.1:5061' }),
        checkpoint({ endpoint: '127.0.0.1:6000' }),
      ]),
    ).to.deep.equal([5061, 6000]);
  });

  it("tells an executor to retry subscribing at least as often as the agent's re-registration timeout needs", () => {
    const env = executorEnvironment({
      base: {},
      info: executorInfo('ex-1'),
      frameworkId: 'fw-1',
      agentId: 'a-1',
      sandbox: '/s',
      endpoint: '127.0.0.1:5061',
      host: '127.0.0.1',
      subscriptionBackoffMaxMs: 1000,
    });
    expect([env['MESOS_SUBSCRIPTION_BACKOFF_MAX'], env['MESOCOSM_SUBSCRIPTION_BACKOFF_MAX']]).to.deep.equal([
      '1secs',
      '1secs',
    ]);
  });
});
