import { expect } from 'chai';
import { FakeClock, silentLogger, TaskState, uuidToString, type ITaskStatus } from '@mesocosm/protocol';
import { StatusUpdateManager, type QueuedUpdate } from '../src/status-updates/status-update-manager.js';

function setup(options: { online?: boolean } = {}) {
  const clock = new FakeClock(1_000_000);
  const sent: { update: QueuedUpdate; at: number }[] = [];
  const acked: QueuedUpdate[] = [];
  let n = 0;
  const manager = new StatusUpdateManager({
    clock,
    logger: silentLogger,
    initialRetryMs: 1000,
    maxRetryMs: 8000,
    newUuid: () => Uint8Array.from([++n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    send: (update) => sent.push({ update, at: clock.now() }),
    onAcknowledged: (u) => acked.push(u),
  });
  if (options.online ?? true) manager.connected();
  return { clock, sent, acked, manager };
}

const status = (taskId: string, state: TaskState): ITaskStatus => ({ taskId: { value: taskId }, state });

describe('StatusUpdateManager', () => {
  it('gives each update a uuid and a timestamp and sends only the head of a task', () => {
    const { sent, manager } = setup();
    const u1 = manager.update('fw', status('t1', TaskState.TASK_STARTING));
    const u2 = manager.update('fw', status('t1', TaskState.TASK_RUNNING));
    expect(u1).to.not.equal(u2);
    expect(sent.map((s) => s.update.uuid)).to.deep.equal([u1]);
    expect(uuidToString(sent[0]?.update.status.uuid)).to.equal(u1);
    expect(sent[0]?.update.status.timestamp).to.equal(1000);
    expect(manager.pending('fw', 't1').map((u) => u.status.state)).to.deep.equal([
      TaskState.TASK_STARTING,
      TaskState.TASK_RUNNING,
    ]);
  });

  it('resends the head with doubling backoff, capped, until acknowledged', () => {
    const { clock, sent, manager } = setup();
    const uuid = manager.update('fw', status('t1', TaskState.TASK_RUNNING));
    clock.advance(1000 + 2000 + 4000 + 8000 + 8000);
    expect(sent.map((s) => s.at - 1_000_000)).to.deep.equal([0, 1000, 3000, 7000, 15000, 23000]);
    expect(new Set(sent.map((s) => s.update.uuid))).to.deep.equal(new Set([uuid]));
    expect(manager.acknowledge('fw', 't1', uuid)).to.equal(true);
    clock.advance(60_000);
    expect(sent).to.have.length(6);
    expect(manager.pending()).to.deep.equal([]);
  });

  it('sends the next update only after the head is acknowledged, in order', () => {
    const { clock, sent, manager, acked } = setup();
    const a = manager.update('fw', status('t1', TaskState.TASK_STARTING));
    const b = manager.update('fw', status('t1', TaskState.TASK_RUNNING));
    const c = manager.update('fw', status('t1', TaskState.TASK_FINISHED));
    clock.advance(500);
    expect(sent.map((s) => s.update.uuid)).to.deep.equal([a]);
    // An ack of a non-head uuid changes nothing.
    expect(manager.acknowledge('fw', 't1', b)).to.equal(false);
    expect(manager.acknowledge('fw', 't1', a)).to.equal(true);
    expect(sent.map((s) => s.update.uuid)).to.deep.equal([a, b]);
    manager.acknowledge('fw', 't1', b);
    manager.acknowledge('fw', 't1', c);
    expect(sent.map((s) => s.update.uuid)).to.deep.equal([a, b, c]);
    expect(acked.map((u) => u.uuid)).to.deep.equal([a, b, c]);
    expect(manager.snapshot()).to.deep.equal({ streams: {} });
  });

  it('keeps tasks independent', () => {
    const { sent, manager } = setup();
    const a = manager.update('fw', status('t1', TaskState.TASK_RUNNING));
    const b = manager.update('fw', status('t2', TaskState.TASK_RUNNING));
    expect(sent.map((s) => s.update.uuid)).to.deep.equal([a, b]);
  });

  it('queues while disconnected and resends every head on reconnection', () => {
    const { clock, sent, manager } = setup();
    const a = manager.update('fw', status('t1', TaskState.TASK_STARTING));
    manager.disconnected();
    manager.update('fw', status('t1', TaskState.TASK_RUNNING));
    const c = manager.update('fw', status('t2', TaskState.TASK_RUNNING));
    clock.advance(60_000);
    expect(sent.map((s) => s.update.uuid)).to.deep.equal([a]);
    manager.connected();
    expect(sent.map((s) => s.update.uuid)).to.deep.equal([a, a, c]);
    // The backoff restarts from its base after a reconnection.
    clock.advance(1000);
    expect(sent).to.have.length(5);
  });

  it('has a plain, serialisable state', () => {
    const { manager } = setup({ online: false });
    manager.update('fw', status('t1', TaskState.TASK_RUNNING));
    const snap = manager.snapshot();
    const copy = structuredClone(snap);
    expect(copy).to.deep.equal(snap);
    expect(Object.values(snap.streams)[0]?.pending[0]?.taskId).to.equal('t1');
  });
});
