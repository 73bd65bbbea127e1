// The engine's work per event does not grow with the number of jobs: with
// thousands of jobs, a put, a tick and a status update deal with the job
// they concern only. Counted, not timed: the engine's job, cursor and run
// tables are instrumented to count the entries any walk over them yields.
import { expect } from 'chai';
import { parseTaskId, taskIdFor } from '../../src/index.js';
import { nextWakeAt } from '../../src/engine/scheduling.js';
import { Leader, TaskState, advance, every, fixture } from './harness.js';

const JOBS = 2_000;
const HOUR = 3_600_000;

/** Counts every entry yielded by any iteration over `map` (for-of, spread, keys/values/entries, forEach). */
function countWalks<K, V>(map: Map<K, V>, counter: { visits: number }): void {
  const counted = <T>(it: IterableIterator<T>): IterableIterator<T> => {
    const gen = (function* (): Generator<T> {
      for (const x of it) {
        counter.visits++;
        yield x;
      }
    })();
    return gen as IterableIterator<T>;
  };
  const proto = Map.prototype;
  map.entries = () => counted(proto.entries.call(map) as IterableIterator<[K, V]>);
  map.keys = () => counted(proto.keys.call(map) as IterableIterator<K>);
  map.values = () => counted(proto.values.call(map) as IterableIterator<V>);
  map[Symbol.iterator] = () => counted(proto.entries.call(map) as IterableIterator<[K, V]>);
  map.forEach = (fn, thisArg?: unknown) => {
    for (const [k, v] of proto.entries.call(map) as IterableIterator<[K, V]>) {
      counter.visits++;
      fn.call(thisArg, v, k, map);
    }
  };
}

describe('ChronosEngine: work per event is independent of the number of jobs', () => {
  it('puts, ticks and status updates walk no table of every job or run', async function () {
    this.timeout(60_000);
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    const counter = { visits: 0 };
    const { state } = l.engine;
    countWalks(state.jobs, counter);
    countWalks(state.cursors, counter);
    countWalks(state.runs, counter);
    const put = (i: number): Promise<void> =>
      l.engine.putJob({ name: `job-${i}`, command: 'true', schedule: every(3600, t0 + HOUR + i * 1_000) }, 'scheduled');

    // Puts: the 100th and the last cost the same walks (none), whatever the job count.
    const visitsOfPut = async (i: number): Promise<number> => {
      counter.visits = 0;
      await put(i);
      return counter.visits;
    };
    for (let i = 0; i < 99; i++) await put(i);
    const early = await visitsOfPut(99);
    for (let i = 100; i < JOBS - 1; i++) await put(i);
    const late = await visitsOfPut(JOBS - 1);
    expect(state.jobs.size).to.equal(JOBS);
    expect({ early, late }).to.deep.equal({ early: 0, late: 0 });
    expect(l.engine.nextWake).to.equal(t0 + HOUR);
    expect(l.engine.nextWake).to.equal(nextWakeAt(l.engine.ctx, clock.now()));

    // A tick: the first job's run is launched, and nothing else is looked at.
    counter.visits = 0;
    await advance(clock, [l.engine], HOUR);
    expect(l.port.wants).to.deep.equal([taskIdFor(`job-0@${t0 + HOUR}`, 0)]);
    expect(counter.visits).to.equal(0);

    // Its status updates: same.
    const [task] = l.launchAll();
    counter.visits = 0;
    await l.runToEnd(task ?? '');
    expect(counter.visits).to.equal(0);
    expect(state.history('job-0').stats().successCount).to.equal(1);

    // The next wake is the next job's first run (job-0's next one is an hour away).
    expect(l.engine.nextWake).to.equal(t0 + HOUR + 1_000);
    expect(l.engine.nextWake).to.equal(nextWakeAt(l.engine.ctx, clock.now()));
  });

  it('keeps the wake times right as jobs change: replaced, deleted, retried, run by hand', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    const check = (): void => {
      expect(l.engine.nextWake).to.equal(nextWakeAt(l.engine.ctx, clock.now()));
    };
    await l.engine.putJob({ name: 'a', command: 'true', schedule: every(60, t0 + 60_000) }, 'scheduled');
    await l.engine.putJob({ name: 'b', command: 'false', schedule: every(30, t0 + 30_000), retries: 2 }, 'scheduled');
    check();
    expect(l.engine.nextWake).to.equal(t0 + 30_000);
    // b replaced with a later start: a is next.
    await l.engine.putJob({ name: 'b', command: 'false', schedule: every(30, t0 + 90_000), retries: 2 }, 'scheduled');
    expect(l.engine.nextWake).to.equal(t0 + 60_000);
    check();
    // a deleted: b is next.
    await l.engine.deleteJob('a');
    expect(l.engine.nextWake).to.equal(t0 + 90_000);
    check();
    // b's run fails: its retry is the next wake (1 s backoff), before its next scheduled run.
    await advance(clock, [l.engine], 90_000);
    const [first] = l.launchAll();
    await l.update(first ?? '', TaskState.TASK_RUNNING);
    await l.update(first ?? '', TaskState.TASK_FAILED);
    expect(l.engine.nextWake).to.equal(clock.now() + 1_000);
    check();
    await advance(clock, [l.engine], 1_000);
    expect(l.port.wants.map((t) => parseTaskId(t)?.attempt)).to.deep.equal([0, 1]);
    check();
    // A manual run of a new job is launched at once; the wake times stay those of b.
    await l.engine.putJob({ name: 'c', command: 'true', schedule: every(600, t0 + 3_600_000) }, 'scheduled');
    await l.engine.runJob('c');
    expect(l.port.wants).to.have.length(3);
    check();
  });
});
