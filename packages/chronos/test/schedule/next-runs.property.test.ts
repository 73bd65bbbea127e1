// Properties of nextRuns over random ISO 8601 schedules: strictly increasing,
// aligned to start + k × period, never more than Rn, and exactly the runs after
// the given time.
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  firstIndexAfter,
  nextRuns,
  occurrenceAt,
  parseJob,
  type JobDefinition,
  type RepeatingInterval,
} from '../../src/index.js';

const NOW = Date.UTC(2026, 0, 1);
const ZONES = ['', 'UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'];

const periodArb = fc.oneof(
  fc
    .record({
      h: fc.integer({ min: 0, max: 30 }),
      m: fc.integer({ min: 0, max: 90 }),
      s: fc.integer({ min: 0, max: 90 }),
    })
    .filter(({ h, m, s }) => h * 3600 + m * 60 + s >= 1)
    .map(({ h, m, s }) => `PT${h}H${m}M${s}S`),
  fc
    .record({ d: fc.integer({ min: 1, max: 40 }), h: fc.integer({ min: 0, max: 5 }) })
    .map(({ d, h }) => `P${d}DT${h}H`),
  fc.integer({ min: 1, max: 14 }).map((m) => `P${m}M`),
  fc.record({ y: fc.integer({ min: 1, max: 3 }), w: fc.integer({ min: 0, max: 3 }) }).map(({ y, w }) => `P${y}Y${w}W`),
);

const jobArb = fc
  .record({
    count: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    start: fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    period: periodArb,
    zone: fc.constantFrom(...ZONES),
  })
  .map(({ count, start, period, zone }) => {
    const local = start.toISOString().slice(0, 19);
    const schedule = `R${count ?? ''}/${local}/${period}`;
    return parseJob({ name: 'p', command: 'x', schedule, scheduleTimeZone: zone }, { now: NOW });
  });

function intervalOf(job: JobDefinition): RepeatingInterval {
  if (job.trigger.kind !== 'iso8601') throw new Error('not an ISO schedule');
  return job.trigger.interval;
}

describe('nextRuns (properties)', () => {
  it('is strictly increasing and never returns more than Rn runs', () => {
    fc.assert(
      fc.property(jobArb, fc.integer({ min: 1, max: 60 }), (job, limit) => {
        const runs = nextRuns(job, 0, limit);
        for (let i = 1; i < runs.length; i++) expect(runs[i]).to.be.greaterThan(runs[i - 1] as number);
        const { repetitions } = intervalOf(job);
        expect(runs.length).to.equal(Math.min(limit, repetitions ?? Infinity));
      }),
      { numRuns: 300 },
    );
  });

  it('is aligned: run k is start ⊕ k × period (elapsed periods exact, calendar periods at the same wall time)', () => {
    fc.assert(
      fc.property(jobArb, (job) => {
        const s = intervalOf(job);
        const runs = nextRuns(job, 0, 25);
        runs.forEach((t, k) => expect(t).to.equal(occurrenceAt(s, k)));
        const { years, months, weeks, days } = s.period;
        const calendar = years + months + weeks + days > 0;
        const timeMs = (s.period.hours * 3600 + s.period.minutes * 60 + s.period.seconds) * 1000;
        if (!calendar) runs.forEach((t, k) => expect(t - s.start).to.equal(k * timeMs));
        else if (timeMs === 0) {
          // Calendar-only periods keep the start's wall-clock time, except on a
          // spring-forward gap where the run moves forward by the gap.
          const wall = (t: number): string => DateTime.fromMillis(t, { zone: s.timeZone }).toFormat('HH:mm:ss');
          const moved = runs.filter((t) => wall(t) !== wall(s.start));
          for (const t of moved) {
            const shifted = DateTime.fromMillis(t, { zone: s.timeZone });
            expect(shifted.offset).to.not.equal(DateTime.fromMillis(t - 86_400_000, { zone: s.timeZone }).offset);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('returns exactly the runs strictly after the given time', () => {
    fc.assert(
      fc.property(jobArb, fc.integer({ min: -5, max: 60 }), fc.integer({ min: 1, max: 10 }), (job, pick, limit) => {
        const all = nextRuns(job, 0, 80);
        const after = pick < 0 ? 0 : (all[Math.min(pick, all.length - 1)] ?? 0) + (pick % 2);
        const expected = all.filter((t) => t > after).slice(0, limit);
        if (all.length < 80 || expected.length === limit) expect(nextRuns(job, after, limit)).to.deep.equal(expected);
        let k = 0;
        while (occurrenceAt(intervalOf(job), k) <= after) k++;
        expect(firstIndexAfter(intervalOf(job), after)).to.equal(k);
      }),
      { numRuns: 300 },
    );
  });

  it('finds the next run far from the start without walking every run', () => {
    const job = parseJob({ name: 'a', command: 'x', schedule: 'R/2020-01-31T00:00:00Z/P1M' }, { now: NOW });
    const runs = nextRuns(job, Date.UTC(2125, 0, 1), 2).map((t) => new Date(t).toISOString());
    expect(runs).to.deep.equal(['2125-01-31T00:00:00.000Z', '2125-02-28T00:00:00.000Z']);
    const seconds = parseJob({ name: 'b', command: 'x', schedule: 'R/2020-01-01T00:00:00Z/PT7S' }, { now: NOW });
    const [next] = nextRuns(seconds, Date.UTC(2100, 0, 1), 1);
    expect(((next as number) - Date.UTC(2020, 0, 1)) % 7000).to.equal(0);
    expect(next).to.be.within(Date.UTC(2100, 0, 1) + 1, Date.UTC(2100, 0, 1) + 7000);
  });

  it('has no runs for a dependent job, and none for R0', () => {
    const child = parseJob({ name: 'c', command: 'x', parents: ['p'] }, { now: NOW });
    expect(nextRuns(child, 0, 5)).to.deep.equal([]);
    const done = parseJob({ name: 'd', command: 'x', schedule: 'R0/2026-01-01T00:00:00Z/PT1H' }, { now: NOW });
    expect(nextRuns(done, 0, 5)).to.deep.equal([]);
  });
});
