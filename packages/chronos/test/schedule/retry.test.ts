// Retries: attempts 0..retries with a doubling backoff, same run ID.
import { expect } from 'chai';
import { DEFAULT_RETRY_POLICY, nextAttempt, retryDelay } from '../../src/index.js';

describe('retries', () => {
  it("backs off from Chronos' 60 s, doubling, capped at 15 minutes", () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => retryDelay(a))).to.deep.equal([
      60_000, 120_000, 240_000, 480_000, 900_000, 900_000,
    ]);
    expect(retryDelay(3, { ...DEFAULT_RETRY_POLICY, factor: 1 })).to.equal(60_000);
  });

  it('retries up to `retries` times with the same run, then gives up', () => {
    const runId = 'etl@1796083200000';
    const first = nextAttempt({ retries: 2 }, runId, 0, 5_000);
    expect(first).to.deep.equal({ attempt: 1, taskId: 'ct:1796083200000:1:etl', notBefore: 65_000 });
    expect(nextAttempt({ retries: 2 }, runId, 1, 100_000)).to.deep.equal({
      attempt: 2,
      taskId: 'ct:1796083200000:2:etl',
      notBefore: 220_000,
    });
    expect(nextAttempt({ retries: 2 }, runId, 2, 300_000)).to.equal(null);
    expect(nextAttempt({ retries: 0 }, runId, 0, 0)).to.equal(null);
  });
});
