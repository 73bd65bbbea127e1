import { expect } from 'chai';
import { FakeClock } from '../src/index.js';

describe('FakeClock', () => {
  it('fires timers in due order as time advances, and not before', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('a'), 10);
    const c = clock.setTimeout(() => fired.push('c'), 5);
    clock.clearTimeout(c);
    clock.advance(9);
    expect(fired).to.deep.equal([]);
    clock.advance(11);
    expect(fired).to.deep.equal(['a', 'b']);
    expect(clock.now()).to.equal(1020);
  });

  it('runs timers scheduled by timers within the same advance', () => {
    const clock = new FakeClock();
    const at: number[] = [];
    clock.setTimeout(() => {
      at.push(clock.now());
      clock.setTimeout(() => at.push(clock.now()), 5);
    }, 5);
    clock.advance(10);
    expect(at).to.deep.equal([5, 10]);
    expect(clock.pendingTimers).to.equal(0);
  });
});
