// The WakeQueue against a plain model (a map of key -> time): whatever the
// sequence of sets, removals and pops, it pops exactly the keys due, in the
// order they were first added, and its earliest time is the model's.
import { expect } from 'chai';
import fc from 'fast-check';
import { WakeQueue } from '../../src/engine/wake-queue.js';

type Op =
  | { readonly kind: 'set'; readonly key: string; readonly at: number | undefined }
  | { readonly kind: 'forget'; readonly key: string }
  | { readonly kind: 'pop'; readonly now: number };

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    key,
    at: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('forget' as const), key }),
  fc.record({ kind: fc.constant('pop' as const), now: fc.integer({ min: 0, max: 50 }) }),
);

describe('WakeQueue', () => {
  it('pops what is due in first-added order and peeks the earliest time, like a plain map', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const q = new WakeQueue();
        const model = new Map<string, number>();
        const order: string[] = []; // first-added order of keys still known
        for (const o of ops) {
          if (o.kind === 'set') {
            q.set(o.key, o.at);
            if (o.at === undefined) model.delete(o.key);
            else {
              model.set(o.key, o.at);
              if (!order.includes(o.key)) order.push(o.key);
            }
          } else if (o.kind === 'forget') {
            q.forget(o.key);
            model.delete(o.key);
            if (order.includes(o.key)) order.splice(order.indexOf(o.key), 1);
          } else {
            const due = order.filter((k) => (model.get(k) ?? Infinity) <= o.now);
            for (const k of due) model.delete(k);
            expect(q.popDue(o.now)).to.deep.equal(due);
          }
          expect(q.size).to.equal(model.size);
          const times = [...model.values()];
          expect(q.peek()).to.equal(times.length === 0 ? undefined : Math.min(...times));
          for (const [k, at] of model) expect(q.get(k)).to.equal(at);
        }
      }),
    );
  });

  it('is empty at first and after its only key is removed', () => {
    const q = new WakeQueue();
    expect(q.peek()).to.equal(undefined);
    q.set('x', 5);
    expect(q.peek()).to.equal(5);
    q.set('x', undefined);
    expect(q.peek()).to.equal(undefined);
    expect(q.popDue(10)).to.deep.equal([]);
  });
});
