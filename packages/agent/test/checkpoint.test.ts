// Checkpoint encodings, the exit-status wrapper and restoring status updates.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, silentLogger, TaskState, uuidToString } from '@mesocosm/protocol';
import { readExitStatus, recordExitStatus, terminationOf } from '../src/checkpoint/exit-status.js';
import { processStartTime, sameProcessAlive } from '../src/checkpoint/process-identity.js';
import { decodeStatusUpdates, encodeStatusUpdates } from '../src/checkpoint/status-update-checkpoint.js';
import { decodeTaskCheckpoint, encodeTaskCheckpoint, type TaskCheckpoint } from '../src/checkpoint/task-checkpoint.js';
import { StatusUpdateManager, type QueuedUpdate } from '../src/status-updates/status-update-manager.js';

describe('checkpoints', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'checkpoint-test-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips a task checkpoint, TaskInfo bytes included', () => {
    const c: TaskCheckpoint = {
      kind: 'command',
      frameworkId: 'fw',
      taskId: 't',
      framework: { id: { value: 'fw' }, name: 'n', user: 'u' },
      task: { name: 't', taskId: { value: 't' }, command: { shell: true, value: 'sleep 1' }, data: Buffer.from('xyz') },
      containerId: 'c-1',
      state: TaskState.TASK_RUNNING,
      directory: '/sandbox',
      pid: 42,
      pidStartTime: 1234,
      killRequested: false,
    };
    const back = decodeTaskCheckpoint(encodeTaskCheckpoint(c));
    expect(back.pid).to.equal(42);
    expect(back.pidStartTime).to.equal(1234);
    expect(back.state).to.equal(TaskState.TASK_RUNNING);
    expect(back.task.command?.value).to.equal('sleep 1');
    expect(Buffer.from(back.task.data ?? []).toString()).to.equal('xyz');
    expect(back.framework.user).to.equal('u');
    expect(() => decodeTaskCheckpoint('{"kind":"docker"}')).to.throw(/not a command task checkpoint/);
  });

  it('records the exit code, and re-raises the signal that killed the command', async () => {
    const run = (shell: string, file: string) => {
      const cmd = recordExitStatus({ file: '/bin/sh', args: ['-c', shell] }, file);
      return spawnSync(cmd.file, [...cmd.args]);
    };
    const code = run('exit 7', join(dir, 'a'));
    expect(code.status).to.equal(7);
    expect(await readFile(join(dir, 'a'), 'utf8')).to.equal('7\n');
    expect(readExitStatus(join(dir, 'a'))).to.deep.equal({ code: 7, signal: null });
    const killed = run('kill -TERM $$', join(dir, 'b'));
    expect(killed.signal).to.equal('SIGTERM');
    expect(readExitStatus(join(dir, 'b'))).to.deep.equal({ code: null, signal: 'SIGTERM' });
    expect(readExitStatus(join(dir, 'missing'))).to.equal(undefined);
    expect(terminationOf(137)).to.deep.equal({ code: null, signal: 'SIGKILL' });
    expect(terminationOf(0)).to.deep.equal({ code: 0, signal: null });
  });

  it('tells a live process from a reused pid by its start time', () => {
    const start = processStartTime(process.pid);
    expect(start).to.be.a('number');
    expect(sameProcessAlive(process.pid, start)).to.equal(true);
    expect(sameProcessAlive(process.pid, (start ?? 0) + 1)).to.equal(false);
  });

  it('restores checkpointed status updates: same uuids, in order, before newer ones, sent once connected', () => {
    const clock = new FakeClock(1_000_000);
    let n = 0;
    const make = (sent: QueuedUpdate[], saved: string[]) =>
      new StatusUpdateManager({
        clock,
        logger: silentLogger,
        initialRetryMs: 1000,
        maxRetryMs: 8000,
        newUuid: () => Uint8Array.from([++n, ...new Array<number>(15).fill(0)]),
        send: (u) => sent.push(u),
        onChange: (m) => saved.push(encodeStatusUpdates(m.snapshot())),
      });
    const saved: string[] = [];
    const old = make([], saved);
    const u1 = old.update('fw', { taskId: { value: 't' }, state: TaskState.TASK_STARTING });
    const u2 = old.update('fw', { taskId: { value: 't' }, state: TaskState.TASK_RUNNING });
    expect(saved).to.have.length(2);

    const sent: QueuedUpdate[] = [];
    const fresh = make(sent, []);
    const u3 = fresh.update('fw', { taskId: { value: 't' }, state: TaskState.TASK_FINISHED });
    fresh.restore(decodeStatusUpdates(saved.at(-1) ?? ''));
    expect(fresh.pending('fw', 't').map((u) => u.uuid)).to.deep.equal([u1, u2, u3]);
    expect(sent).to.have.length(0);
    fresh.connected();
    expect(sent.map((u) => u.uuid)).to.deep.equal([u1]);
    expect(uuidToString(sent[0]?.status.uuid)).to.equal(u1);
    fresh.acknowledge('fw', 't', u1);
    expect(sent.map((u) => u.uuid)).to.deep.equal([u1, u2]);
  });
});
