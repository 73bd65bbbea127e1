// parseSchedule and parsePeriod: Chronos' ISO 8601 repeating intervals.
import { expect } from 'chai';
import {
  InvalidScheduleError,
  formatPeriod,
  occurrenceAt,
  parseFixedDuration,
  parsePeriod,
  parseSchedule,
} from '../../src/index.js';

const NOW = Date.UTC(2026, 10, 20, 12, 34, 56, 789);
const iso = (t: number): string => new Date(t).toISOString();

describe('parsePeriod', () => {
  const table: [
    string,
    Partial<Record<'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds', number>>,
  ][] = [
    ['PT1H', { hours: 1 }],
    ['PT10M', { minutes: 10 }],
    ['P10M', { months: 10 }],
    ['P1Y12M12D', { years: 1, months: 12, days: 12 }],
    ['P12DT12M', { days: 12, minutes: 12 }],
    ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }],
    ['P2W', { weeks: 2 }],
    ['PT0.5S', { seconds: 0.5 }],
    ['PT1,5S', { seconds: 1.5 }],
  ];
  for (const [text, fields] of table) {
    it(`reads ${text}`, () => {
      const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
      expect(parsePeriod(text, 'schedule')).to.deep.equal({ ...zero, ...fields });
    });
  }

  for (const [text, says] of [
    ['P', /ISO 8601 duration/],
    ['PT', /ISO 8601 duration/],
    ['P1H', /ISO 8601 duration/],
    ['1H', /ISO 8601 duration/],
    ['P1DT', /ISO 8601 duration/],
    ['PT0S', /zero/],
    ['P0D', /zero/],
    ['-PT1H', /negative/],
    ['P-1D', /negative/],
  ] as const) {
    it(`refuses ${text}`, () => {
      expect(() => parsePeriod(text, 'schedule'))
        .to.throw(InvalidScheduleError, says)
        .with.property('field', 'schedule');
    });
  }

  it('formats canonically', () => {
    expect(formatPeriod(parsePeriod('P1Y2M3W4DT5H6M7S', 's'))).to.equal('P1Y2M3W4DT5H6M7S');
    expect(formatPeriod(parsePeriod('PT60S', 's'))).to.equal('PT60S');
  });

  it('gives fixed durations in ms (epsilon), zero allowed, months refused', () => {
    expect(parseFixedDuration('PT60S', 'epsilon')).to.equal(60_000);
    expect(parseFixedDuration('P1DT1H', 'epsilon')).to.equal(25 * 3_600_000);
    expect(parseFixedDuration('P1W', 'epsilon')).to.equal(7 * 86_400_000);
    expect(parseFixedDuration('PT0S', 'epsilon')).to.equal(0);
    expect(() => parseFixedDuration('P1Y', 'epsilon')).to.throw(InvalidScheduleError, /years or months/);
  });
});

describe('parseSchedule', () => {
  it('reads R (forever), Rn and R0', () => {
    expect(parseSchedule('R/2026-12-01T00:00:00Z/PT1H', { now: NOW }).repetitions).to.equal(null);
    expect(parseSchedule('R5/2026-12-01T00:00:00Z/PT1H', { now: NOW }).repetitions).to.equal(5);
    expect(parseSchedule('R0/2026-12-01T00:00:00Z/PT1H', { now: NOW }).repetitions).to.equal(0);
  });

  it('reads an empty start as now', () => {
    const s = parseSchedule('R//PT1H', { now: NOW });
    expect(s.start).to.equal(NOW);
    expect(s.timeZone).to.equal('UTC');
    const berlin = parseSchedule('R1//P1D', { now: NOW, timeZone: 'Europe/Berlin' });
    expect(berlin.start).to.equal(NOW);
  });

  it("reads the start's offset, and UTC when it has none", () => {
    expect(parseSchedule('R/2026-12-01T00:00:00+05:30/PT1H', { now: NOW }).start).to.equal(
      Date.UTC(2026, 10, 30, 18, 30),
    );
    expect(parseSchedule('R/2026-12-01T00:00:00/PT1H', { now: NOW }).start).to.equal(Date.UTC(2026, 11, 1));
    expect(parseSchedule('R/2026-12-01T00:00:00.250Z/PT1H', { now: NOW }).start).to.equal(
      Date.UTC(2026, 11, 1, 0, 0, 0, 250),
    );
  });

  it('does calendar arithmetic in the fixed offset of the start when no zone is named', () => {
    const s = parseSchedule('R/2026-12-01T00:00:00+05:30/P1M', { now: NOW });
    expect(s.timeZone).to.equal('UTC+5:30');
    expect([0, 1, 2].map((k) => iso(occurrenceAt(s, k)))).to.deep.equal([
      '2026-11-30T18:30:00.000Z',
      '2026-12-31T18:30:00.000Z',
      '2027-01-31T18:30:00.000Z',
    ]);
  });

  it("reads the start's wall clock in scheduleTimeZone, whatever its offset (as Chronos does)", () => {
    const s = parseSchedule('R/2026-12-01T02:00:00Z/P1D', { now: NOW, timeZone: 'America/New_York' });
    expect(iso(s.start)).to.equal('2026-12-01T07:00:00.000Z');
  });

  it('keeps calendar months in the zone: P1M from Jan 31 gives the end of shorter months', () => {
    const s = parseSchedule('R/2028-01-31T00:00:00Z/P1M', { now: NOW });
    expect([0, 1, 2, 3].map((k) => iso(occurrenceAt(s, k)))).to.deep.equal([
      '2028-01-31T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
      '2028-03-31T00:00:00.000Z',
      '2028-04-30T00:00:00.000Z',
    ]);
    const y = parseSchedule('R/2028-02-29T12:00:00Z/P1Y', { now: NOW });
    expect(iso(occurrenceAt(y, 1))).to.equal('2029-02-28T12:00:00.000Z');
    expect(iso(occurrenceAt(y, 4))).to.equal('2032-02-29T12:00:00.000Z');
  });

  for (const [text, says] of [
    ['', /repeating interval/],
    ['R/PT1H', /repeating interval/],
    ['X/2026-12-01T00:00:00Z/PT1H', /repeating interval/],
    ['R-1/2026-12-01T00:00:00Z/PT1H', /repeating interval/],
    ['R/yesterday/PT1H', /date-time/],
    ['R/2026-02-30T00:00:00Z/PT1H', /ISO 8601 date-time/],
    ['R/1969-12-31T00:00:00Z/PT1H', /before 1970/],
    ['R/2026-12-01T00:00:00Z/PT0.5S', /shorter than one second/],
    ['R/2026-12-01T00:00:00Z/PT0S', /zero/],
    ['R/2026-12-01T00:00:00Z/1H', /ISO 8601 duration/],
  ] as const) {
    it(`refuses '${text}'`, () => {
      expect(() => parseSchedule(text, { now: NOW })).to.throw(InvalidScheduleError, says);
    });
  }

  it('refuses an unknown scheduleTimeZone, naming the field', () => {
    expect(() => parseSchedule('R//PT1H', { now: NOW, timeZone: 'Europe/Atlantis' }))
      .to.throw(InvalidScheduleError, /tz database/)
      .with.property('field', 'scheduleTimeZone');
  });
});
