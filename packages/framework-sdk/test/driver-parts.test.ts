// Unit tests of the driver's pure parts: event fan-out, update dedupe, backoff, detection.
import { expect } from 'chai';
import { EventStream } from '../src/events.js';
import { UpdateTracker } from '../src/update-tracker.js';
import {
  FixedMasterDetector,
  MAX_BACKOFF_MS,
  backoffDelay,
  createMasterDetector,
  parseMasterAddress,
} from '../src/index.js';

describe('EventStream', () => {
  it('gives each iterator what was published after it was created, then ends it', async () => {
    const s = new EventStream<number>();
    const early = s.iterator();
    s.publish(1);
    const late = s.iterator();
    s.publish(2);
    s.close();
    const all = async (it: AsyncIterableIterator<number>): Promise<number[]> => {
      const out: number[] = [];
      for await (const v of it) out.push(v);
      return out;
    };
    expect(await all(early)).to.deep.equal([1, 2]);
    expect(await all(late)).to.deep.equal([2]);
    expect((await s.iterator().next()).done).to.equal(true);
  });

  it('wakes a waiting consumer and detaches one that returns', async () => {
    const s = new EventStream<string>();
    const it = s.iterator();
    const next = it.next();
    s.publish('x');
    expect((await next).value).to.equal('x');
    await it.return?.();
    s.publish('y');
    expect((await it.next()).done).to.equal(true);
  });
});

describe('UpdateTracker', () => {
  const u = (n: number): Uint8Array => Uint8Array.from([n, 0, 0, 1]);

  it('delivers once, drops copies until acknowledged, then acknowledges copies again', () => {
    const t = new UpdateTracker();
    expect(t.observe(u(1))).to.equal('deliver');
    expect(t.observe(u(1))).to.equal('drop');
    t.acknowledged(u(1));
    expect(t.observe(u(1))).to.equal('reacknowledge');
    t.forget(u(1));
    expect(t.observe(u(1))).to.equal('deliver');
  });

  it('forgets the oldest UUIDs beyond its capacity', () => {
    const t = new UpdateTracker(2);
    t.observe(u(1));
    t.observe(u(2));
    t.observe(u(3));
    expect(t.observe(u(1))).to.equal('deliver');
    expect(t.observe(u(3))).to.equal('drop');
  });
});

describe('backoffDelay', () => {
  it('doubles from the base and caps at 30 s', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(1000, a))).to.deep.equal([1000, 2000, 4000, 8000]);
    expect(backoffDelay(1000, 5)).to.equal(MAX_BACKOFF_MS);
    expect(backoffDelay(1000, 500)).to.equal(30_000);
  });
});

describe('master detection', () => {
  it('answers a fixed host:port and rejects what is not one', async () => {
    expect(await new FixedMasterDetector(' 10.0.0.1:5060 ').detect()).to.equal('10.0.0.1:5060');
    expect(await createMasterDetector('[::1]:5060').detect()).to.equal('[::1]:5060');
    expect(() => parseMasterAddress('localhost')).to.throw(/not a gRPC address/);
    expect(() => parseMasterAddress('localhost:99999')).to.throw(/not a gRPC address/);
    expect(() => parseMasterAddress('zk://zk1:2181/mesos')).to.throw(/use createMasterDetector/);
  });
});
