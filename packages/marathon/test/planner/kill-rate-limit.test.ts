import { expect } from 'chai';
import { admitKills, TokenBucket } from '../../src/index.js';

describe('kill rate limit', () => {
  it('lets a burst through, then one kill per refill interval', () => {
    const bucket = new TokenBucket({ burst: 3, perSecond: 0.5 }, 0);
    const first = admitKills(bucket, ['a', 'b', 'c', 'd', 'e'], 0);
    expect(first).to.deep.equal({ kill: ['a', 'b', 'c'], deferred: ['d', 'e'], retryAt: 2000 });
    expect(admitKills(bucket, ['d', 'e'], 1999).kill).to.deep.equal([]);
    const later = admitKills(bucket, ['d', 'e'], 2000);
    expect(later).to.deep.equal({ kill: ['d'], deferred: ['e'], retryAt: 4000 });
    expect(admitKills(bucket, ['e'], 4000)).to.deep.equal({ kill: ['e'], deferred: [] });
  });

  it('refills up to the burst only', () => {
    const bucket = new TokenBucket({ burst: 2, perSecond: 10 }, 0);
    expect(bucket.available(1_000_000)).to.equal(2);
    expect(bucket.tryTake(1_000_000)).to.equal(true);
    expect(bucket.tryTake(1_000_000)).to.equal(true);
    expect(bucket.tryTake(1_000_000)).to.equal(false);
    expect(bucket.nextTokenAt(1_000_000)).to.equal(1_000_100);
  });

  it('refuses a rate that would never refill', () => {
    expect(() => new TokenBucket({ burst: 0, perSecond: 1 }, 0)).to.throw(RangeError);
    expect(() => new TokenBucket({ burst: 1, perSecond: 0 }, 0)).to.throw(RangeError);
  });
});
