import { expect } from 'chai';
import { LaunchBackoff, launchDelaySeconds } from '../../src/index.js';
import { app } from './fixtures.js';

describe('launch backoff', () => {
  it('grows by backoffFactor from backoffSeconds, capped by maxLaunchDelaySeconds', () => {
    const policy = { backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300 };
    expect(launchDelaySeconds(policy, 0)).to.equal(0);
    expect(launchDelaySeconds(policy, 1)).to.equal(1);
    expect(launchDelaySeconds(policy, 2)).to.be.closeTo(1.15, 1e-9);
    expect(launchDelaySeconds(policy, 3)).to.be.closeTo(1.3225, 1e-9);
    expect(launchDelaySeconds(policy, 100)).to.equal(300);
    expect(launchDelaySeconds({ backoffSeconds: 2, backoffFactor: 2, maxLaunchDelaySeconds: 10 }, 3)).to.equal(8);
    expect(launchDelaySeconds({ backoffSeconds: 2, backoffFactor: 2, maxLaunchDelaySeconds: 10 }, 4)).to.equal(10);
  });

  it('holds launches back after failures, by injected time', () => {
    const web = app({ id: 'web', backoffSeconds: 2, backoffFactor: 2, maxLaunchDelaySeconds: 60 });
    const book = new LaunchBackoff();
    expect(book.canLaunch(web, 0)).to.equal(true);
    expect(book.recordFailure(web, 10_000)).to.equal(12_000);
    expect(book.canLaunch(web, 11_999)).to.equal(false);
    expect(book.canLaunch(web, 12_000)).to.equal(true);
    expect(book.recordFailure(web, 12_000)).to.equal(16_000);
    expect(book.recordFailure(web, 16_000)).to.equal(24_000);
    expect(book.entriesList()).to.deep.equal([
      { appId: '/web', configVersion: web.version, failures: 3, notBefore: 24_000 },
    ]);
  });

  it('resets on a config change and once a task runs healthy', () => {
    const v1 = app({ id: 'web', backoffSeconds: 5 });
    const book = new LaunchBackoff();
    book.recordFailure(v1, 0);
    book.recordFailure(v1, 5_000);
    const v2 = app({ id: 'web', backoffSeconds: 5, cmd: 'fixed' }, 1000, v1);
    expect(book.canLaunch(v2, 5_001)).to.equal(true);
    expect(book.recordFailure(v2, 6_000)).to.equal(11_000);
    const scaled = app({ id: 'web', backoffSeconds: 5, cmd: 'fixed', instances: 4 }, 2000, v2);
    expect(book.canLaunch(scaled, 6_001)).to.equal(false);
    book.recordHealthy('/web');
    expect(book.canLaunch(scaled, 6_001)).to.equal(true);
    expect(book.recordFailure(scaled, 7_000)).to.equal(12_000);
  });
});
