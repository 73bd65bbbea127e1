// Cron schedules in time zones (Metronome's form), and their validation.
import { expect } from 'chai';
import { InvalidScheduleError, nextRuns, parseJob, validateCron } from '../../src/index.js';

const iso = (t: number): string => new Date(t).toISOString();

function cronJob(cron: string, zone: string | undefined, now: number) {
  return parseJob(
    { name: 'c', command: 'x', cron, ...(zone === undefined ? {} : { scheduleTimeZone: zone }) },
    { now },
  );
}

describe('cron', () => {
  const since = Date.UTC(2026, 5, 1, 12, 0, 0); // a Monday

  it('runs at the wall time of its zone', () => {
    const at = (zone: string): string[] => nextRuns(cronJob('0 9 * * *', zone, since), since, 2).map(iso);
    expect(at('UTC')).to.deep.equal(['2026-06-02T09:00:00.000Z', '2026-06-03T09:00:00.000Z']);
    expect(at('Europe/Berlin')).to.deep.equal(['2026-06-02T07:00:00.000Z', '2026-06-03T07:00:00.000Z']);
    expect(at('America/New_York')).to.deep.equal(['2026-06-01T13:00:00.000Z', '2026-06-02T13:00:00.000Z']);
    expect(at('Asia/Kolkata')).to.deep.equal(['2026-06-02T03:30:00.000Z', '2026-06-03T03:30:00.000Z']);
  });

  it('reads day-of-week, steps, lists and macros', () => {
    expect(nextRuns(cronJob('0 3 * * 1-5', 'UTC', since), since, 5).map((t) => new Date(t).getUTCDay())).to.deep.equal([
      2, 3, 4, 5, 1,
    ]);
    expect(nextRuns(cronJob('*/15 * * * *', 'UTC', since), since, 3).map(iso)).to.deep.equal([
      '2026-06-01T12:15:00.000Z',
      '2026-06-01T12:30:00.000Z',
      '2026-06-01T12:45:00.000Z',
    ]);
    expect(nextRuns(cronJob('@daily', 'UTC', since), since, 1).map(iso)).to.deep.equal(['2026-06-02T00:00:00.000Z']);
  });

  it('returns only runs strictly after the given time, and none before the job existed', () => {
    const job = cronJob('0 * * * *', 'UTC', since);
    expect(nextRuns(job, since, 1).map(iso)).to.deep.equal(['2026-06-01T13:00:00.000Z']);
    expect(nextRuns(job, since - 1, 1).map(iso)).to.deep.equal(['2026-06-01T12:00:00.000Z']);
    expect(nextRuns(job, 0, 1).map(iso)).to.deep.equal(['2026-06-01T12:00:00.000Z']);
  });

  for (const [expr, says] of [
    ['', /0 fields/],
    ['* * * *', /4 fields/],
    ['0 0 * * * *', /6 fields/],
    ['61 * * * *', /not a valid cron/],
    ['0 25 * * *', /not a valid cron/],
    ['@sometimes', /not a known macro/],
    ['daily', /has 1 field:/],
  ] as const) {
    it(`refuses '${expr}'`, () => {
      expect(() => validateCron(expr, 'UTC'))
        .to.throw(InvalidScheduleError, says)
        .with.property('field', 'cron');
    });
  }

  it('refuses an unknown zone', () => {
    expect(() => validateCron('0 0 * * *', 'Moon/Base')).to.throw(InvalidScheduleError, /tz database/);
  });
});
