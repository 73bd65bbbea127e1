// Exactly once: two engines racing on one store, a dependency diamond, and a
// new leader restored from what an old one wrote before it stopped half-way.
import { expect } from 'chai';
import { TaskStatusReason } from '@mesocosm/framework-sdk';
import { MemoryStateStore } from '@mesocosm/framework-sdk/ha';
import { COLLECTIONS, taskIdFor } from '../../src/index.js';
import { Leader, TaskState, advance, every, fixture } from './harness.js';

/** A store whose writes of one kind can be made to fail, as a leader that dies mid-way. */
class FailingStore extends MemoryStateStore {
  failPut: ((collection: string, key: string, value: unknown) => boolean) | undefined;

  override put(collection: string, key: string, value: unknown, expectedVersion?: number): Promise<number> {
    if (this.failPut?.(collection, key, value)) return Promise.reject(new Error(`injected: ${collection}/${key}`));
    return super.put(collection, key, value, expectedVersion);
  }
}

describe('ChronosEngine: exactly once', () => {
  it('two engines racing on one store record and launch each scheduled run once', async () => {
    const { store, clock, t0 } = fixture();
    const a = await Leader.start(store, clock);
    await a.engine.putJob({ name: 'race', command: 'true', schedule: every(1, t0 + 1_000) }, 'scheduled');
    const b = await Leader.start(store, clock);
    for (let i = 0; i < 10; i++) {
      await advance(clock, [a.engine, b.engine], 1_000);
      for (const l of [a, b]) for (const t of l.launchAll()) await l.runToEnd(t);
    }
    const all = [...a.port.wants, ...b.port.wants];
    expect(all).to.have.length(10);
    expect(new Set(all).size).to.equal(10);
    const expected = Array.from({ length: 10 }, (_, i) => taskIdFor(`race@${t0 + 1_000 * (i + 1)}`, 0));
    expect([...all].sort()).to.deep.equal([...expected].sort());
  });

  it('runs a dependency diamond: D once after B and C, each after A; a redelivered success changes nothing', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'A', command: 'true', schedule: every(3600, t0) }, 'scheduled');
    await l.engine.putJob({ name: 'B', command: 'true', parents: ['A'] }, 'dependent');
    await l.engine.putJob({ name: 'C', command: 'true', parents: ['A'] }, 'dependent');
    await l.engine.putJob({ name: 'D', command: 'true', parents: ['B', 'C'] }, 'dependent');
    await advance(clock, [l.engine], 0);
    const [taskA] = l.launchAll();
    await advance(clock, [l.engine], 500);
    await l.runToEnd(taskA ?? '');
    const tA = clock.now();
    expect([...l.port.wanted.keys()].sort()).to.deep.equal([`B@${tA}`, `C@${tA}`]);
    const [taskB, taskC] = l.launchAll().sort();
    await l.runToEnd(taskB ?? '');
    expect(l.port.wanted.size).to.equal(0);
    await advance(clock, [l.engine], 700);
    await l.runToEnd(taskC ?? '');
    const tC = clock.now();
    expect([...l.port.wanted.keys()]).to.deep.equal([`D@${tC}`]);
    // The same TASK_FINISHED again (its acknowledgement was lost): no second D.
    await l.update(taskC ?? '', TaskState.TASK_FINISHED, { timestamp: tC / 1000 });
    await l.update(taskA ?? '', TaskState.TASK_FINISHED, { timestamp: tA / 1000 });
    expect(l.port.wants.filter((t) => t.endsWith(':D'))).to.have.length(1);
    expect(l.engine.state.runs.get(`D@${tC}`)?.parentRuns).to.deep.equal({ B: `B@${tA}`, C: `C@${tA}` });
  });

  it('a new leader neither repeats nor loses a child whose parent succeeded while the old one was writing', async () => {
    const { clock, t0 } = fixture();
    const store = new FailingStore();
    const old = await Leader.start(store, clock);
    await old.engine.putJob({ name: 'P', command: 'true', schedule: every(3600, t0) }, 'scheduled');
    await old.engine.putJob({ name: 'K', command: 'true', parents: ['P'] }, 'dependent');
    await advance(clock, [old.engine], 0);
    const [taskP] = old.launchAll();
    await old.update(taskP ?? '', TaskState.TASK_RUNNING);
    // The old leader records the child's run, then dies before writing the parent's success.
    store.failPut = (c, k, v) =>
      c === COLLECTIONS.runs && k.startsWith('P@') && (v as { state: string }).state === 'success';
    const finishedAt = clock.now() / 1000;
    let failed = false;
    await old.update(taskP ?? '', TaskState.TASK_FINISHED, { timestamp: finishedAt }).catch(() => (failed = true));
    expect(failed, 'the update handler fails, so the update is not acknowledged').to.equal(true);
    old.engine.stop();
    expect(old.port.wants.filter((t) => t.endsWith(':K'))).to.deep.equal([]);
    store.failPut = undefined;

    const next = await Leader.start(store, clock, false);
    const childRun = `K@${Math.round(finishedAt * 1000)}`;
    expect(next.engine.knownTasks().map((t) => t.taskId)).to.include(taskIdFor(childRun, 0));
    next.engine.start();
    // The agent resends the parent's TASK_FINISHED: the child is already recorded, nothing new.
    await next.update(taskP ?? '', TaskState.TASK_FINISHED, { timestamp: finishedAt });
    expect(next.port.wants).to.deep.equal([]);
    // Reconciliation: the master never had the child's task, so that attempt is launched, once.
    await next.unknown(taskIdFor(childRun, 0));
    await next.unknown(taskIdFor(childRun, 0));
    expect(next.port.wants).to.deep.equal([taskIdFor(childRun, 0)]);
  });

  it('a new leader adopts a recorded run the master reports running, without launching it again', async () => {
    const { clock, t0 } = fixture();
    const store = new FailingStore();
    const old = await Leader.start(store, clock);
    await old.engine.putJob({ name: 'R', command: 'true', schedule: every(10, t0 + 10_000) }, 'scheduled');
    await old.engine.putJob({ name: 'S', command: 'true', schedule: every(10, t0 + 10_000) }, 'scheduled');
    // The old leader records R's run, then dies writing its cursor (before launching anything, before S).
    store.failPut = (c) => c === COLLECTIONS.cursors;
    await advance(clock, [old.engine], 10_000);
    expect(old.port.wants).to.deep.equal([]);
    old.engine.stop();
    store.failPut = undefined;
    const runR = `R@${t0 + 10_000}`;
    const runS = `S@${t0 + 10_000}`;
    expect((await store.get(COLLECTIONS.runs, runR))?.value).to.deep.include({ state: 'launching' });

    const next = await Leader.start(store, clock);
    await advance(clock, [next.engine], 0);
    // R is due again by its old cursor but recorded: reconciled, not launched. S is new: launched.
    expect(next.port.wants).to.deep.equal([taskIdFor(runS, 0)]);
    expect(next.engine.knownTasks().map((t) => t.taskId)).to.deep.equal([taskIdFor(runR, 0)]);
    await next.engine.onUpdate({
      taskId: { value: taskIdFor(runR, 0) },
      state: TaskState.TASK_RUNNING,
      reason: TaskStatusReason.REASON_RECONCILIATION,
      agentId: { value: 'a9' },
    });
    expect(next.port.wants).to.deep.equal([taskIdFor(runS, 0)]);
    expect(next.engine.state.runs.get(runR)).to.deep.include({ state: 'running', agentId: 'a9' });
    expect((await store.get(COLLECTIONS.cursors, 'R'))?.value).to.deep.equal({ lastScheduled: t0 + 10_000 });
  });
});
