// dueRuns: missed runs under each catch-up policy; nothing dropped silently.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  dueRuns,
  nextRuns,
  parseJob,
  runIdFor,
  startDeadline,
  type CatchUpPolicy,
  type DueRuns,
} from '../../src/index.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 11, 1);

function hourly(catchUp: CatchUpPolicy, extra: Record<string, unknown> = {}) {
  return parseJob(
    { name: 'h', command: 'x', schedule: 'R/2026-12-01T00:00:00Z/PT1H', epsilon: 'PT10M', catchUp, ...extra },
    { now: START - HOUR },
  );
}

describe('dueRuns', () => {
  it('starts a run on time and reports the next one', () => {
    const due = dueRuns(hourly('epsilon'), null, START);
    expect(due.start).to.deep.equal([{ runId: runIdFor('h', START), scheduledTime: START, lateBy: 0 }]);
    expect(due.skip).to.deep.equal([]);
    expect(due.lastScheduled).to.equal(START);
    expect(due.nextAt).to.equal(START + HOUR);
    expect([due.remaining, due.finished, due.more]).to.deep.equal([null, false, false]);
  });

  it('has nothing due before the first run', () => {
    const due = dueRuns(hourly('epsilon'), null, START - 1);
    expect(due.start).to.deep.equal([]);
    expect(due.lastScheduled).to.equal(null);
    expect(due.nextAt).to.equal(START);
  });

  describe('after a gap of 5 periods (the scheduler was down from 00:00 to 04:05)', () => {
    const now = START + 4 * HOUR + 5 * 60_000;
    const missed = [0, 1, 2, 3, 4].map((k) => START + k * HOUR);

    it('epsilon (default): runs older than epsilon are skipped and recorded; the one within it starts late', () => {
      const due = dueRuns(hourly('epsilon'), START - HOUR, now);
      expect(due.start).to.deep.equal([
        { runId: runIdFor('h', missed[4] as number), scheduledTime: missed[4], lateBy: 5 * 60_000 },
      ]);
      expect(due.skip.map((s) => [s.scheduledTime, s.reason])).to.deep.equal(
        missed.slice(0, 4).map((t) => [t, 'missed-epsilon']),
      );
      expect(due.skip[0]?.message).to.match(/could not start within epsilon/);
      expect(due.lastScheduled).to.equal(missed[4]);
    });

    it('runOnce: the five collapse into one run (the latest); the others are recorded as collapsed', () => {
      const due = dueRuns(hourly('runOnce'), START - HOUR, now);
      expect(due.start.map((s) => s.scheduledTime)).to.deep.equal([missed[4]]);
      expect(due.skip.map((s) => [s.scheduledTime, s.reason])).to.deep.equal(
        missed.slice(0, 4).map((t) => [t, 'collapsed']),
      );
      expect(due.skip[0]?.message).to.contain(runIdFor('h', missed[4] as number));
    });

    it('runAll: all five start, each saying how late it is', () => {
      const due = dueRuns(hourly('runAll'), START - HOUR, now);
      expect(due.start.map((s) => [s.scheduledTime, s.lateBy])).to.deep.equal(missed.map((t) => [t, now - t]));
      expect(due.skip).to.deep.equal([]);
    });

    it('a disabled job skips all five, saying so', () => {
      const due = dueRuns(hourly('runAll', { disabled: true }), START - HOUR, now);
      expect(due.start).to.deep.equal([]);
      expect(due.skip.map((s) => s.reason)).to.deep.equal(Array(5).fill('disabled'));
    });
  });

  it('epsilon is inclusive: a run exactly epsilon late still starts', () => {
    const job = hourly('epsilon');
    expect(dueRuns(job, null, START + 10 * 60_000).start).to.have.length(1);
    expect(dueRuns(job, null, START + 10 * 60_000 + 1).skip).to.have.length(1);
    expect(startDeadline(job, START)).to.equal(START + 10 * 60_000);
    expect(startDeadline(hourly('runOnce'), START)).to.equal(null);
  });

  it('counts Rn down as runs are scheduled (started or skipped) and finishes after the last', () => {
    const job = parseJob({ name: 'r', command: 'x', schedule: 'R3/2026-12-01T00:00:00Z/PT1H' }, { now: START });
    let due = dueRuns(job, null, START);
    expect([due.remaining, due.finished]).to.deep.equal([2, false]);
    due = dueRuns(job, due.lastScheduled, START + 2 * HOUR + 1);
    expect(due.start.map((s) => s.scheduledTime)).to.deep.equal([START + 2 * HOUR]);
    expect(due.skip.map((s) => s.scheduledTime)).to.deep.equal([START + HOUR]);
    expect([due.remaining, due.finished, due.nextAt]).to.deep.equal([0, true, null]);
    due = dueRuns(job, due.lastScheduled, START + 100 * HOUR);
    expect([due.start, due.skip, due.finished]).to.deep.equal([[], [], true]);
  });

  it('deals with a long gap in batches, and runOnce still starts only the latest', () => {
    const job = parseJob(
      { name: 'b', command: 'x', schedule: 'R/2026-12-01T00:00:00Z/PT1M', catchUp: 'runOnce' },
      { now: START },
    );
    const now = START + 2500 * 60_000;
    const starts: number[] = [];
    let skips = 0;
    let cursor: number | null = null;
    let calls = 0;
    for (let due: DueRuns | null = null; due === null || due.more; calls++) {
      due = dueRuns(job, cursor, now, { limit: 1000 });
      starts.push(...due.start.map((s) => s.scheduledTime));
      skips += due.skip.length;
      cursor = due.lastScheduled;
    }
    expect(calls).to.equal(3);
    expect(starts).to.deep.equal([now]);
    expect(skips).to.equal(2500);
  });

  it('cron jobs follow the same policies', () => {
    const job = parseJob({ name: 'c', command: 'x', cron: '0 * * * *', catchUp: 'runAll' }, { now: START - 1 });
    const due = dueRuns(job, null, START + 2 * HOUR + 1);
    expect(due.start.map((s) => s.scheduledTime)).to.deep.equal([START, START + HOUR, START + 2 * HOUR]);
    expect(due.remaining).to.equal(null);
    const once = dueRuns({ ...job, catchUp: 'runOnce' }, null, START + 2 * HOUR + 1);
    expect(once.start.map((s) => s.scheduledTime)).to.deep.equal([START + 2 * HOUR]);
    expect(once.skip.map((s) => s.reason)).to.deep.equal(['collapsed', 'collapsed']);
  });

  it('never drops a scheduled time: over any sequence of calls, each one starts or is skipped exactly once', () => {
    const policies: CatchUpPolicy[] = ['epsilon', 'runOnce', 'runAll'];
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
        fc.array(fc.integer({ min: 0, max: 5 * HOUR }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 7 }),
        (catchUp, count, steps, limit) => {
          const job = parseJob(
            {
              name: 'p',
              command: 'x',
              schedule: `R${count ?? ''}/2026-12-01T00:00:00Z/PT20M`,
              epsilon: 'PT30M',
              catchUp,
            },
            { now: START },
          );
          const seen: number[] = [];
          let cursor: number | null = null;
          let now = START - HOUR;
          for (const step of steps) {
            now += step;
            for (let due: DueRuns | null = null; due === null || due.more;) {
              due = dueRuns(job, cursor, now, { limit });
              seen.push(...due.start.map((s) => s.scheduledTime), ...due.skip.map((s) => s.scheduledTime));
              cursor = due.lastScheduled;
            }
          }
          const expected = nextRuns(job, START - 1, 10_000).filter((t) => t <= now);
          expect([...seen].sort((a, b) => a - b)).to.deep.equal(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
