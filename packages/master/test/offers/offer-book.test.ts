import { expect } from 'chai';
import { FakeClock, Resources } from '@mesocosm/protocol';
import { OfferBook, type OutstandingOffer } from '../../src/offers/index.js';

const offer = (offerId: string, frameworkId: string, agentId: string, createdAt: number): OutstandingOffer => ({
  offerId,
  frameworkId,
  agentId,
  role: '*',
  resources: Resources.parse('cpus:1;mem:128'),
  createdAt,
});

describe('OfferBook', () => {
  it('indexes offers by ID, agent and framework', () => {
    const book = new OfferBook();
    book.add(offer('o1', 'f1', 'a1', 0));
    book.add(offer('o2', 'f1', 'a2', 0));
    book.add(offer('o3', 'f2', 'a1', 0));
    expect(book.size).to.equal(3);
    expect(book.get('o2')?.agentId).to.equal('a2');
    expect(book.byAgent('a1').map((o) => o.offerId)).to.deep.equal(['o1', 'o3']);
    expect(book.byFramework('f1').map((o) => o.offerId)).to.deep.equal(['o1', 'o2']);
    expect(book.all().map((o) => o.offerId)).to.deep.equal(['o1', 'o2', 'o3']);
  });

  it('removes an offer from every index, once', () => {
    const book = new OfferBook();
    book.add(offer('o1', 'f1', 'a1', 0));
    expect(book.remove('o1')?.offerId).to.equal('o1');
    expect(book.remove('o1')).to.equal(undefined);
    expect(book.get('o1')).to.equal(undefined);
    expect(book.byAgent('a1')).to.deep.equal([]);
    expect(book.byFramework('f1')).to.deep.equal([]);
    expect(book.size).to.equal(0);
  });

  it('refuses a duplicate offer ID', () => {
    const book = new OfferBook();
    book.add(offer('o1', 'f1', 'a1', 0));
    expect(() => book.add(offer('o1', 'f2', 'a2', 0))).to.throw(/offer 'o1' is already outstanding/);
    expect(book.get('o1')?.frameworkId).to.equal('f1');
  });

  it('lists offers that reached the timeout, oldest first, driven by a fake clock', () => {
    const clock = new FakeClock(10_000);
    const book = new OfferBook();
    book.add(offer('late', 'f1', 'a1', clock.now() + 5_000));
    book.add(offer('early', 'f1', 'a2', clock.now()));
    expect(book.expired(clock.now(), 60_000)).to.deep.equal([]);
    clock.advance(59_999);
    expect(book.expired(clock.now(), 60_000)).to.deep.equal([]);
    clock.advance(1);
    expect(book.expired(clock.now(), 60_000).map((o) => o.offerId)).to.deep.equal(['early']);
    clock.advance(5_000);
    expect(book.expired(clock.now(), 60_000).map((o) => o.offerId)).to.deep.equal(['early', 'late']);
    book.remove('early');
    expect(book.expired(clock.now(), 60_000).map((o) => o.offerId)).to.deep.equal(['late']);
  });

  it('removes all offers of an agent or of a framework', () => {
    const book = new OfferBook();
    book.add(offer('o1', 'f1', 'a1', 0));
    book.add(offer('o2', 'f2', 'a1', 0));
    book.add(offer('o3', 'f2', 'a2', 0));
    expect(book.removeByAgent('a1').map((o) => o.offerId)).to.deep.equal(['o1', 'o2']);
    expect(book.removeByFramework('f2').map((o) => o.offerId)).to.deep.equal(['o3']);
    expect(book.size).to.equal(0);
  });
});
