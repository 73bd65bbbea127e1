// Offer filters' expiry (an expiry heap, cleared filters skipped) against a
// plain list of the installed filters, over random sequences of operations.
import { expect } from 'chai';
import fc from 'fast-check';
import { Resources } from '@mesocosm/protocol';
import { ExpiryHeap } from '../../src/allocator/expiry-heap.js';
import { OfferFilters, type OfferFilter } from '../../src/allocator/offer-filters.js';

const FRAMEWORKS = ['f0', 'f1', 'f2'];
const AGENTS = ['a0', 'a1', 'a2', 'a3'];
const EVERYTHING = Resources.parse('cpus:64;mem:65536');
const SMALL = Resources.parse('cpus:1');

type Op =
  | { op: 'add'; fw: number; agent: number; in: number }
  | { op: 'clearFramework'; fw: number }
  | { op: 'clearAgent'; agent: number }
  | { op: 'isFiltered'; fw: number; agent: number }
  | { op: 'expire' }
  | { op: 'advance'; ms: number };

const idx = (n: number) => fc.integer({ min: 0, max: n - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      fw: idx(3),
      agent: idx(4),
      in: fc.integer({ min: 1, max: 50 }),
    }),
    weight: 5,
  },
  fc.record({ op: fc.constant('clearFramework' as const), fw: idx(3) }),
  fc.record({ op: fc.constant('clearAgent' as const), agent: idx(4) }),
  { arbitrary: fc.record({ op: fc.constant('isFiltered' as const), fw: idx(3), agent: idx(4) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('expire' as const) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20 }) }), weight: 3 },
);

describe('OfferFilters: expiry', () => {
  it('expires exactly the installed filters that are due, and knows the next expiry', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 200 }), (ops) => {
        const filters = new OfferFilters();
        let model: OfferFilter[] = [];
        let now = 0;
        for (const o of ops) {
          switch (o.op) {
            case 'add': {
              const f: OfferFilter = {
                frameworkId: FRAMEWORKS[o.fw] ?? '',
                agentId: AGENTS[o.agent] ?? '',
                role: undefined,
                resources: EVERYTHING,
                expiresAt: now + o.in,
              };
              filters.add(f);
              model.push(f);
              break;
            }
            case 'clearFramework':
              filters.clearFramework(FRAMEWORKS[o.fw] ?? '');
              model = model.filter((f) => f.frameworkId !== FRAMEWORKS[o.fw]);
              break;
            case 'clearAgent':
              filters.clearAgent(AGENTS[o.agent] ?? '');
              model = model.filter((f) => f.agentId !== AGENTS[o.agent]);
              break;
            case 'isFiltered': {
              const [fw, agent] = [FRAMEWORKS[o.fw] ?? '', AGENTS[o.agent] ?? ''];
              const live = model.filter((f) => f.frameworkId === fw && f.agentId === agent && f.expiresAt > now);
              expect(filters.isFiltered(fw, agent, '*', SMALL, now)).to.equal(live.length > 0);
              // It sweeps that pair's expired filters.
              model = model.filter((f) => !(f.frameworkId === fw && f.agentId === agent && f.expiresAt <= now));
              break;
            }
            case 'expire': {
              const due = model.filter((f) => f.expiresAt <= now);
              model = model.filter((f) => f.expiresAt > now);
              const { agents, next } = filters.expire(now);
              expect([...agents].sort()).to.deep.equal([...new Set(due.map((f) => f.agentId))].sort());
              expect(next).to.equal(Math.min(Infinity, ...model.map((f) => f.expiresAt)));
              break;
            }
            case 'advance':
              now += o.ms;
              break;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps its heap of expiries to the installed filters when most were cleared', () => {
    const filters = new OfferFilters();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++)
        filters.add({
          frameworkId: 'f',
          agentId: `a${i}`,
          role: undefined,
          resources: EVERYTHING,
          expiresAt: 3_600_000,
        });
      filters.clearFramework('f'); // a REVIVE clears them all
    }
    const heap = (filters as unknown as { byExpiry: ExpiryHeap<OfferFilter> }).byExpiry;
    expect(heap.size).to.be.below(3 * 1024);
    expect(filters.expire(0)).to.deep.equal({ agents: [], next: Infinity });
  });
});

describe('ExpiryHeap', () => {
  it('pops in expiry order, whatever the order of pushes, and keeps what retain accepts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 300 }), fc.nat(), (times, cut) => {
        const heap = new ExpiryHeap<{ expiresAt: number }>();
        for (const t of times) heap.push({ expiresAt: t });
        heap.retain((x) => x.expiresAt % 7 !== cut % 7);
        const out: number[] = [];
        for (let x = heap.pop(); x; x = heap.pop()) out.push(x.expiresAt);
        expect(out).to.deep.equal(times.filter((t) => t % 7 !== cut % 7).sort((a, b) => a - b));
        expect(heap.size).to.equal(0);
      }),
    );
  });
});
