// The bench's statistics and ratios (test/bench/stats.ts, rows.ts): the
// benchmarks themselves stay out of the test suite, their arithmetic does not.
import { expect } from 'chai';
import { costRatio } from '../bench/rows.js';
import { mean, median, percentile, summarize } from '../bench/stats.js';
import type { Figure } from '../bench/types.js';

describe('bench stats', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted

  it('takes percentiles by nearest rank over the sorted samples', () => {
    expect(percentile(hundred, 50)).to.equal(50);
    expect(percentile(hundred, 99)).to.equal(99);
    expect(percentile(hundred, 100)).to.equal(100);
    expect(percentile(hundred, 0)).to.equal(1);
    expect(percentile([5, 1, 4, 2, 3], 50)).to.equal(3);
    // Ten samples: p99 is the largest (rank ceil(9.9) = 10), p50 the 5th.
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 99)).to.equal(10);
    expect(median([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).to.equal(5);
  });

  it('does not reorder the samples it is given', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    summarize(samples);
    expect(samples).to.deep.equal([3, 1, 2]);
  });

  it('refuses a percentile outside 0..100, saying what to use', () => {
    expect(() => percentile([1], 101)).to.throw(RangeError, /between 0 and 100/);
    expect(() => percentile([1], -1)).to.throw(RangeError);
    expect(() => percentile([1], NaN)).to.throw(RangeError);
  });

  it('summarizes n, mean, p50, p99, min and max', () => {
    expect(summarize(hundred)).to.deep.equal({ n: 100, mean: 50.5, p50: 50, p99: 99, min: 1, max: 100 });
    expect(mean([1, 2, 3, 6])).to.equal(3);
  });

  it('gives NaN figures for no samples rather than throwing', () => {
    const s = summarize([]);
    expect(s.n).to.equal(0);
    expect([s.mean, s.p50, s.p99, s.min, s.max].every((v) => Number.isNaN(v))).to.equal(true);
  });
});

describe('bench ratio to the limit', () => {
  const figure = (f: Partial<Figure>): Figure => ({
    scenario: 's',
    figure: 'f',
    unit: 'ms',
    value: 10,
    better: 'lower',
    limit: 2,
    ...f,
  });

  it('is value/limit for durations and limit/value for rates: how many times the limit it costs', () => {
    expect(costRatio(figure({ value: 10, limit: 2 }))).to.equal(5);
    expect(costRatio(figure({ unit: 'tasks/s', better: 'higher', value: 100, limit: 400 }))).to.equal(4);
  });

  it('is undefined without a usable limit', () => {
    expect(costRatio(figure({ limit: undefined }))).to.equal(undefined);
    expect(costRatio(figure({ limit: 0 }))).to.equal(undefined);
    expect(costRatio(figure({ limit: NaN }))).to.equal(undefined);
    expect(costRatio(figure({ value: NaN }))).to.equal(undefined);
  });
});
