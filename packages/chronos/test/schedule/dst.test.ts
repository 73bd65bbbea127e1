// Daylight saving: a daily job runs exactly once on both change days, in
// America/New_York and Europe/Berlin, for ISO 8601 schedules and for cron.
// The rule (zones.ts): a wall time skipped by spring-forward runs shifted
// forward by the gap (02:30 → 03:30); a wall time repeated by fall-back runs
// once, at its first occurrence (the daylight-saving offset).
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { nextRuns, parseJob } from '../../src/index.js';

const NOW = Date.UTC(2026, 0, 1);

function local(t: number, zone: string): string {
  return DateTime.fromMillis(t, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
}

function isoDaily(zone: string, start: string, count = 4): string[] {
  const job = parseJob({ name: 'd', command: 'x', schedule: `R/${start}/P1D`, scheduleTimeZone: zone }, { now: NOW });
  return nextRuns(job, 0, count).map((t) => local(t, zone));
}

function cronDaily(zone: string, expr: string, from: string, count = 4): string[] {
  const since = Date.parse(from);
  const job = parseJob({ name: 'c', command: 'x', cron: expr, scheduleTimeZone: zone }, { now: since });
  return nextRuns(job, since, count).map((t) => local(t, zone));
}

const cases = [
  {
    zone: 'America/New_York',
    spring: { start: '2026-03-07T02:30:00', cron: '30 2 * * *', from: '2026-03-07T00:00:00Z' },
    springRuns: [
      '2026-03-07T02:30:00-05:00',
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
      '2026-03-10T02:30:00-04:00',
    ],
    fall: { start: '2026-10-31T01:30:00', cron: '30 1 * * *', from: '2026-10-31T00:00:00Z' },
    fallRuns: [
      '2026-10-31T01:30:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
      '2026-11-03T01:30:00-05:00',
    ],
  },
  {
    zone: 'Europe/Berlin',
    spring: { start: '2026-03-28T02:30:00', cron: '30 2 * * *', from: '2026-03-27T12:00:00Z' },
    springRuns: [
      '2026-03-28T02:30:00+01:00',
      '2026-03-29T03:30:00+02:00',
      '2026-03-30T02:30:00+02:00',
      '2026-03-31T02:30:00+02:00',
    ],
    fall: { start: '2026-10-24T02:30:00', cron: '30 2 * * *', from: '2026-10-23T12:00:00Z' },
    fallRuns: [
      '2026-10-24T02:30:00+02:00',
      '2026-10-25T02:30:00+02:00',
      '2026-10-26T02:30:00+01:00',
      '2026-10-27T02:30:00+01:00',
    ],
  },
];

describe('daylight saving', () => {
  for (const c of cases) {
    describe(c.zone, () => {
      it('ISO 8601: a run in the spring-forward gap runs once, shifted forward by the gap', () => {
        expect(isoDaily(c.zone, c.spring.start)).to.deep.equal(c.springRuns);
      });
      it('ISO 8601: a run in the repeated fall-back hour runs once, at its first occurrence', () => {
        expect(isoDaily(c.zone, c.fall.start)).to.deep.equal(c.fallRuns);
      });
      it('cron: the same rule, so both forms agree', () => {
        expect(cronDaily(c.zone, c.spring.cron, c.spring.from)).to.deep.equal(c.springRuns);
        expect(cronDaily(c.zone, c.fall.cron, c.fall.from)).to.deep.equal(c.fallRuns);
      });
      it('a daily job has exactly one run on each calendar day across both changes', () => {
        for (const start of [c.spring.start, c.fall.start]) {
          const days = isoDaily(c.zone, start, 10).map((t) => t.slice(0, 10));
          expect(new Set(days).size).to.equal(10);
        }
      });
    });
  }

  it('a schedule without a zone keeps its fixed offset: no DST shift', () => {
    const job = parseJob({ name: 'f', command: 'x', schedule: 'R/2026-03-07T02:30:00-05:00/P1D' }, { now: NOW });
    const gaps = nextRuns(job, 0, 4).map((t, i, all) => (i === 0 ? 0 : t - (all[i - 1] as number)));
    expect(gaps.slice(1)).to.deep.equal([86_400_000, 86_400_000, 86_400_000]);
    expect(nextRuns(job, 0, 4).map((t) => local(t, 'UTC').slice(11, 19))).to.deep.equal(Array(4).fill('07:30:00'));
  });

  it('hourly periods are elapsed time: the repeated hour is run twice, as two distinct hours', () => {
    const job = parseJob(
      { name: 'h', command: 'x', schedule: 'R4/2026-11-01T00:30:00/PT1H', scheduleTimeZone: 'America/New_York' },
      { now: NOW },
    );
    expect(nextRuns(job, 0, 4).map((t) => local(t, 'America/New_York'))).to.deep.equal([
      '2026-11-01T00:30:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-01T01:30:00-05:00',
      '2026-11-01T02:30:00-05:00',
    ]);
  });
});
