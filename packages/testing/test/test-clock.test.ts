import { expect } from 'chai';
import { TestClock, waitFor } from '../src/index.js';

describe('TestClock', () => {
  it('stands still until advanced, but runs timers due now on the next turn of the event loop', async () => {
    const clock = new TestClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('later'), 500);
    clock.setTimeout(() => fired.push('now'), 0);
    expect(fired).to.deep.equal([]); // not synchronously
    await waitFor(() => fired.length > 0);
    expect(fired).to.deep.equal(['now']);
    expect(clock.now()).to.equal(1_000);
    clock.advance(499);
    expect(fired).to.deep.equal(['now']);
    clock.advance(1);
    expect(fired).to.deep.equal(['now', 'later']);
    expect(clock.now()).to.equal(1_500);
  });

  it('a cancelled zero-delay timer does not run', async () => {
    const clock = new TestClock();
    let ran = false;
    const h = clock.setTimeout(() => (ran = true), 0);
    clock.clearTimeout(h);
    let other = false;
    clock.setTimeout(() => (other = true), 0);
    await waitFor(() => other);
    expect(ran).to.equal(false);
  });
});
