// Properties of offer matching over random offers and requests.
import { expect } from 'chai';
import fc from 'fast-check';
import { Resources, matchOffers, type IOffer, type TaskRequest } from '../src/index.js';

const milli = fc.integer({ min: 0, max: 4000 }).map((n) => n / 1000);
const roles = fc.constantFrom('*', 'web', 'batch');

/** An offer with cpus and mem split over up to three roles, and some ports. */
const offerArb = fc
  .record({
    cpus: fc.array(fc.tuple(roles, milli), { minLength: 1, maxLength: 3 }),
    mem: fc.array(fc.tuple(roles, fc.integer({ min: 0, max: 2048 })), { minLength: 1, maxLength: 3 }),
    portStart: fc.integer({ min: 1000, max: 60000 }),
    portCount: fc.integer({ min: 0, max: 6 }),
  })
  .map(({ cpus, mem, portStart, portCount }): Resources => {
    let r = Resources.EMPTY;
    for (const [role, v] of cpus) r = r.add(Resources.scalar('cpus', v, role));
    for (const [role, v] of mem) r = r.add(Resources.scalar('mem', v, role));
    if (portCount > 0) r = r.add(Resources.ranges('ports', [[portStart, portStart + portCount - 1]]));
    return r;
  });

const requestArb = fc.record({
  cpus: fc.integer({ min: 1, max: 2500 }).map((n) => n / 1000),
  mem: fc.integer({ min: 0, max: 700 }),
  ports: fc.integer({ min: 0, max: 3 }),
});

const scenario = fc.record({
  offers: fc.array(offerArb, { minLength: 0, maxLength: 4 }),
  requests: fc.array(requestArb, { minLength: 0, maxLength: 12 }),
  strategy: fc.constantFrom<'pack' | 'spread'>('pack', 'spread'),
});

function build(s: { offers: Resources[]; requests: Array<{ cpus: number; mem: number; ports: number }> }): {
  offers: IOffer[];
  requests: TaskRequest[];
} {
  return {
    offers: s.offers.map((r, i) => ({ id: { value: `o${i}` }, agentId: { value: `a${i}` }, resources: r.toProto() })),
    requests: s.requests.map((q, i) => ({
      taskId: `t${i}`,
      resources: Resources.scalar('cpus', q.cpus).add(Resources.scalar('mem', q.mem)),
      ports: q.ports,
    })),
  };
}

describe('matchOffers properties', () => {
  it('never launches more than an offer holds, role by role, and gives each task what it asked', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { offers, requests } = build(s);
        const m = matchOffers(offers, requests, { strategy: s.strategy });
        for (const { offer, tasks } of m.launches) {
          const offered = Resources.fromProto(offer.resources);
          let used = Resources.EMPTY;
          for (const t of tasks) {
            expect(t.agentId?.value).to.equal(offer.agentId?.value);
            const got = Resources.fromProto(t.resources);
            const asked = requests.find((r) => r.taskId === t.taskId?.value);
            if (!asked || typeof asked.resources === 'string') throw new Error('unknown task');
            // Same quantities as asked once roles are ignored, plus exactly `ports` ports.
            expect(got.scalar('cpus')).to.equal(asked.resources.scalar('cpus'));
            expect(got.scalar('mem')).to.equal(asked.resources.scalar('mem'));
            const ports = got.ranges('ports').reduce((n, [b, e]) => n + e - b + 1, 0);
            expect(ports).to.equal(asked.ports ?? 0);
            used = used.add(got);
          }
          expect(offered.contains(used), `${used.toString()} within ${offered.toString()}`).to.equal(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for every request once and every offer once', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { offers, requests } = build(s);
        const m = matchOffers(offers, requests, { strategy: s.strategy });
        const launched = m.launches.flatMap((l) => l.tasks.map((t) => t.taskId?.value));
        const unmatched = m.unmatched.map((u) => u.request.taskId);
        expect([...launched, ...unmatched].sort()).to.deep.equal(requests.map((r) => r.taskId).sort());
        const offerIds = [...m.launches.map((l) => l.offer), ...m.unused].map((o) => o.id?.value).sort();
        expect(offerIds).to.deep.equal(offers.map((o) => o.id?.value).sort());
        for (const u of m.unmatched) expect(u.reasons.length).to.be.greaterThan(0);
        for (const d of m.declineReasons) expect(d.count).to.be.within(1, m.unmatched.length);
      }),
      { numRuns: 300 },
    );
  });

  it('places a request alone whenever some offer holds it (first fit finds it)', () => {
    fc.assert(
      fc.property(fc.array(offerArb, { minLength: 1, maxLength: 4 }), requestArb, (offerRes, q) => {
        const { offers, requests } = build({ offers: offerRes, requests: [q] });
        const need = Resources.scalar('cpus', q.cpus).add(Resources.scalar('mem', q.mem));
        const fits = offerRes.some(
          (r) => r.withRole('*').contains(need) && r.ranges('ports').reduce((n, [b, e]) => n + e - b + 1, 0) >= q.ports,
        );
        const m = matchOffers(offers, requests);
        expect(m.launches.length === 1).to.equal(fits);
      }),
      { numRuns: 300 },
    );
  });
});
