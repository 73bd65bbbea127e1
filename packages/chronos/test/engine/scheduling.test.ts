// The engine on a fake cluster and a FakeClock: due runs are recorded and
// launched at their times, missed ones are recorded as skipped, retries,
// concurrency, manual runs, kills.
import { expect } from 'chai';
import { COLLECTIONS, parseTaskId, taskIdFor } from '../../src/index.js';
import { Leader, TaskState, advance, every, fixture } from './harness.js';

describe('ChronosEngine: scheduled runs', () => {
  it('records and launches each due run at its scheduled time, and not before', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'tick', command: 'true', schedule: every(10, t0 + 10_000) }, 'scheduled');
    await advance(clock, [l.engine], 9_999);
    expect(l.port.wants).to.deep.equal([]);
    await advance(clock, [l.engine], 1);
    expect(l.port.wants).to.deep.equal([taskIdFor(`tick@${t0 + 10_000}`, 0)]);
    // Recorded before it was wanted, and the cursor moved.
    expect((await store.get(COLLECTIONS.runs, `tick@${t0 + 10_000}`))?.value).to.deep.include({ state: 'launching' });
    expect((await store.get(COLLECTIONS.cursors, 'tick'))?.value).to.deep.equal({ lastScheduled: t0 + 10_000 });

    const [task] = l.launchAll();
    await l.runToEnd(task ?? '');
    await advance(clock, [l.engine], 10_000);
    expect(l.port.wants).to.have.length(2);
    expect(parseTaskId(l.port.wants[1] ?? '')?.scheduledTime).to.equal(t0 + 20_000);
    const stats = l.engine.state.history('tick').stats();
    expect(stats.successCount).to.equal(1);
    const entry = l.engine.state.history('tick').list()[0];
    expect(entry).to.deep.include({ outcome: 'success', agentId: 'a1', taskId: task });
    expect(entry?.stdoutUrl).to.equal(
      `http://h1:5051/files/read?path=${encodeURIComponent(`fw-1/tasks/${task ?? ''}/run-1/stdout`)}&offset=0`,
    );
  });

  it('stops an R3 schedule after three runs', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'three', command: 'true', schedule: every(5, t0 + 5_000, '3') }, 'scheduled');
    for (let i = 0; i < 6; i++) {
      await advance(clock, [l.engine], 5_000);
      for (const t of l.launchAll()) await l.runToEnd(t);
    }
    expect(l.port.wants).to.have.length(3);
    expect(l.engine.state.history('three').stats().successCount).to.equal(3);
  });

  it('records runs missed past epsilon as skipped, with the reason, and starts the one within it', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    // Every minute since 5 minutes ago, epsilon 30 s: the runs of -5..-1 min are missed, the one at 0 starts.
    const json = { name: 'late', command: 'true', schedule: every(60, t0 - 300_000), epsilon: 'PT30S' };
    await l.engine.putJob(json, 'scheduled');
    await advance(clock, [l.engine], 0);
    expect(l.port.wants).to.deep.equal([taskIdFor(`late@${t0}`, 0)]);
    const h = l.engine.state.history('late');
    expect(h.stats().skippedCount).to.equal(5);
    expect(h.list().every((e) => e.outcome === 'skipped' && /^missed-epsilon/.test(e.reason ?? ''))).to.equal(true);
    // The history is persisted.
    const stored = (await store.get(COLLECTIONS.history, 'late'))?.value as { entries: unknown[] };
    expect(stored.entries).to.have.length(5);
  });

  it('skips a scheduled run that no offer fitted within epsilon', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'big', command: 'true', schedule: every(600, t0), epsilon: 'PT10S' }, 'scheduled');
    await advance(clock, [l.engine], 0);
    expect(l.port.wanted.size).to.equal(1);
    await advance(clock, [l.engine], 10_001);
    expect(l.port.wanted.size).to.equal(0);
    expect(l.engine.state.history('big').list()[0]).to.deep.include({ outcome: 'skipped' });
    expect(l.engine.state.history('big').list()[0]?.reason).to.match(/^missed-epsilon: no offer fitted/);
  });

  it('records the runs of a disabled job as skipped', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'off', command: 'true', schedule: every(10, t0), disabled: true }, 'scheduled');
    await advance(clock, [l.engine], 20_000);
    expect(l.port.wants).to.deep.equal([]);
    expect(
      l.engine.state
        .history('off')
        .list()
        .map((e) => e.reason?.split(':')[0]),
    ).to.deep.equal(['disabled', 'disabled', 'disabled']);
  });
});

describe('ChronosEngine: retries, concurrency, manual runs, kills', () => {
  it('retries a failing run `retries` times after the backoff, then records the failure', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'flaky', command: 'exit 1', schedule: every(3600, t0), retries: 2 }, 'scheduled');
    await advance(clock, [l.engine], 0);
    for (let attempt = 0; attempt <= 2; attempt++) {
      const [task] = l.launchAll();
      expect(task).to.equal(taskIdFor(`flaky@${t0}`, attempt));
      await l.runToEnd(task ?? '', TaskState.TASK_FAILED);
      await advance(clock, [l.engine], 999);
      expect(l.port.wanted.size).to.equal(0); // not before the backoff
      await advance(clock, [l.engine], 1);
    }
    expect(l.port.wants).to.have.length(3);
    const h = l.engine.state.history('flaky');
    expect(h.stats()).to.deep.include({ errorCount: 1, successCount: 0, errorsSinceLastSuccess: 1 });
    expect(h.list().map((e) => [e.outcome, e.attempt])).to.deep.equal([
      ['failure', 2],
      ['failure', 1],
      ['failure', 0],
    ]);
  });

  it('skips a scheduled run while the previous one runs (concurrent: false); a manual run waits for it', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'slow', command: 'sleep 100', schedule: every(10, t0) }, 'scheduled');
    await advance(clock, [l.engine], 0);
    const [first] = l.launchAll();
    await l.update(first ?? '', TaskState.TASK_RUNNING);
    await advance(clock, [l.engine], 10_000);
    expect(l.port.wanted.size).to.equal(0);
    expect(l.engine.state.history('slow').list()[0]?.reason).to.match(/^previous-run-active/);

    const { runId } = await l.engine.runJob('slow', ['--fast']);
    expect(runId).to.equal(`slow@${clock.now()}`);
    expect(l.engine.state.runs.get(runId)?.state).to.equal('waiting');
    await l.update(first ?? '', TaskState.TASK_FINISHED);
    const manual = l.port.wanted.get(runId);
    expect(manual?.taskId).to.equal(taskIdFor(runId, 0));
    expect(manual?.command?.value).to.equal('sleep 100 --fast');
  });

  it('kills the tasks of a job: queued runs end at once, launched ones on their TASK_KILLED', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'k', command: 'sleep 100', schedule: every(10, t0), concurrent: true }, 'scheduled');
    await advance(clock, [l.engine], 0);
    const [running] = l.launchAll();
    await l.update(running ?? '', TaskState.TASK_RUNNING);
    await advance(clock, [l.engine], 10_000); // a second run, waiting for an offer
    expect(await l.engine.killJobTasks('k')).to.equal(2);
    expect(l.port.kills).to.deep.equal([running]);
    expect(l.port.wanted.size).to.equal(0);
    await l.update(running ?? '', TaskState.TASK_KILLED);
    expect(
      l.engine.state
        .history('k')
        .list()
        .map((e) => e.outcome),
    ).to.deep.equal(['killed', 'killed']);
    expect(l.engine.state.history('k').stats().errorCount).to.equal(0);
  });
});
