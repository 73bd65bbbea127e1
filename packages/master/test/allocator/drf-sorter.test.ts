import { expect } from 'chai';
import { DrfSorter } from '../../src/allocator/drf-sorter.js';

// Totals in thousandths: 10 cpus, 100 MB mem, no disk or gpus.
const totals = () => [10_000, 100_000, 0, 0];
const names = (s: DrfSorter) => s.sorted().map((c) => c.name);

describe('DrfSorter', () => {
  it('orders by dominant share, ties by name', () => {
    const s = new DrfSorter(totals());
    for (const n of ['c', 'a', 'b']) s.add(n);
    expect(names(s)).to.deep.equal(['a', 'b', 'c']);
    s.allocate('a', [1_000, 50_000, 0, 0]); // dominant: mem 0.5
    s.allocate('b', [3_000, 10_000, 0, 0]); // dominant: cpus 0.3
    expect(names(s)).to.deep.equal(['c', 'b', 'a']);
    expect(s.share('a')).to.equal(0.5);
    s.allocate('a', [1_000, 30_000, 0, 0], -1); // a: mem 0.2
    expect(names(s)).to.deep.equal(['c', 'a', 'b']);
  });

  it('divides shares by weight', () => {
    const s = new DrfSorter(totals());
    s.add('heavy', 2);
    s.add('light');
    s.allocate('heavy', [4_000, 0, 0, 0]); // 0.4 / 2 = 0.2
    s.allocate('light', [3_000, 0, 0, 0]); // 0.3
    expect(names(s)).to.deep.equal(['heavy', 'light']);
    s.setWeight('heavy', 1);
    expect(names(s)).to.deep.equal(['light', 'heavy']);
  });

  it('re-sorts when the totals change', () => {
    const t = totals();
    const s = new DrfSorter(t);
    s.allocate('cpu-heavy', [5_000, 10_000, 0, 0]); // cpus 0.5
    s.allocate('mem-heavy', [1_000, 40_000, 0, 0]); // mem 0.4
    expect(names(s)).to.deep.equal(['mem-heavy', 'cpu-heavy']);
    t[0] = 100_000; // ten times the cpus: cpu-heavy now 0.1 (mem), mem-heavy 0.4
    s.totalsChanged();
    expect(names(s)).to.deep.equal(['cpu-heavy', 'mem-heavy']);
    s.allocate('cpu-heavy', [0, 50_000, 0, 0]); // after the re-sort, incremental again: 0.6
    expect(names(s)).to.deep.equal(['mem-heavy', 'cpu-heavy']);
  });

  it('removes clients and reports idleness', () => {
    const s = new DrfSorter(totals());
    s.allocate('a', [1_000, 0, 0, 0]);
    s.add('b');
    expect(s.isIdle('a')).to.equal(false);
    expect(s.isIdle('b')).to.equal(true);
    s.remove('a');
    expect(names(s)).to.deep.equal(['b']);
    expect(s.size).to.equal(1);
  });
});
