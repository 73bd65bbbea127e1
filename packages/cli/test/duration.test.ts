import { expect } from 'chai';
import { formatDuration, parseDuration } from '../src/duration.js';

describe('parseDuration', () => {
  it('reads every Mesos unit', () => {
    expect(parseDuration('500ms')).to.equal(500);
    expect(parseDuration('30secs')).to.equal(30_000);
    expect(parseDuration('1mins')).to.equal(60_000);
    expect(parseDuration('2hrs')).to.equal(7_200_000);
    expect(parseDuration('1days')).to.equal(86_400_000);
    expect(parseDuration('1weeks')).to.equal(604_800_000);
    expect(parseDuration('1500us')).to.equal(1.5);
    expect(parseDuration('2000000ns')).to.equal(2);
  });

  it('accepts fractions and surrounding blanks', () => {
    expect(parseDuration('1.5secs')).to.equal(1500);
    expect(parseDuration(' .5mins ')).to.equal(30_000);
    expect(parseDuration('0secs')).to.equal(0);
  });

  it('rejects a bare number, saying a unit is needed', () => {
    expect(() => parseDuration('30')).to.throw(/write a number and a unit, e\.g\. 30secs/);
  });

  it('rejects unknown units, listing the valid ones', () => {
    expect(() => parseDuration('30s')).to.throw(/unknown unit 's'.*secs, mins/);
    expect(() => parseDuration('1hour')).to.throw(/unknown unit 'hour'/);
  });

  it('rejects negatives and garbage', () => {
    expect(() => parseDuration('-1secs')).to.throw(/not a duration/);
    expect(() => parseDuration('')).to.throw(/not a duration/);
    expect(() => parseDuration('secs')).to.throw(/not a duration/);
  });

  it('formats with the largest exact unit, and round-trips', () => {
    expect(formatDuration(30_000)).to.equal('30secs');
    expect(formatDuration(90_000)).to.equal('90secs');
    expect(formatDuration(120_000)).to.equal('2mins');
    expect(formatDuration(250)).to.equal('250ms');
    for (const ms of [1, 999, 1000, 61_000, 3_600_000, 604_800_000 * 3]) {
      expect(parseDuration(formatDuration(ms))).to.equal(ms);
    }
  });
});
