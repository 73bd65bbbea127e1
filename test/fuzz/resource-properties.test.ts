// Properties of resource arithmetic (fast-check, seeded): over scalars,
// ranges and sets, several names and roles at once, addition is commutative
// and associative, subtraction undoes addition and never goes negative,
// contains agrees with subtract, and the text and wire forms round-trip.
// Random text and random wire resources are refused only with the typed
// errors, never with anything else.
import { expect } from 'chai';
import fc from 'fast-check';
import { MesocosmError, Resources, ValidationError, ValueType, type IResource } from '@mesocosm/protocol';
import { FUZZ_SEED } from './support/rand.js';

const RUNS = { seed: FUZZ_SEED, numRuns: 300 };

const name = fc.constantFrom('cpus', 'mem', 'disk', 'gpus', 'ports', 'zones', 'x_1.y-z');
const role = fc.constantFrom('*', 'web', 'batch', 'a/b');
const scalar = fc.integer({ min: 0, max: 10_000_000 }).map((m) => m / 1000);
const range = fc
  .tuple(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 0, max: 300 }))
  .map(([b, n]) => [b, b + n] as const);
const item = fc.stringMatching(/^[a-z0-9]{1,6}$/);

/** One resource entry in the wire form, of a kind fixed by its name (so that sums stay well typed). */
const entry: fc.Arbitrary<IResource> = fc
  .tuple(name, role, scalar, fc.array(range, { maxLength: 4 }), fc.array(item, { maxLength: 4 }))
  .map(([n, r, s, ranges, items]): IResource => {
    if (n === 'ports')
      return {
        name: n,
        role: r,
        type: ValueType.RANGES,
        ranges: { range: ranges.map(([b, e]) => ({ begin: b, end: e })) },
      };
    if (n === 'zones') return { name: n, role: r, type: ValueType.SET, set: { item: items } };
    return { name: n, role: r, type: ValueType.SCALAR, scalar: { value: s } };
  });
const resources = fc.array(entry, { maxLength: 8 }).map((list) => Resources.fromProto(list));

function nonNegative(r: Resources): boolean {
  return r
    .toProto()
    .every(
      (e) => (e.scalar?.value ?? 0) >= 0 && (e.ranges?.range ?? []).every((x) => Number(x.end) >= Number(x.begin)),
    );
}

describe('fuzz: resource arithmetic properties', () => {
  it('addition is commutative and associative, with EMPTY as identity', () => {
    fc.assert(
      fc.property(resources, resources, resources, (a, b, c) => {
        expect(a.add(b).equals(b.add(a))).to.equal(true);
        expect(
          a
            .add(b)
            .add(c)
            .equals(a.add(b.add(c))),
        ).to.equal(true);
        expect(a.add(Resources.EMPTY).equals(a)).to.equal(true);
      }),
      RUNS,
    );
  });

  it('a + b contains both, and (a + b) - b holds at least a, never negative', () => {
    fc.assert(
      fc.property(resources, resources, (a, b) => {
        const sum = a.add(b);
        expect(sum.contains(a) && sum.contains(b)).to.equal(true);
        const back = sum.subtract(b);
        expect(nonNegative(back)).to.equal(true);
        for (const n of ['cpus', 'mem', 'disk', 'gpus']) expect(back.scalar(n)).to.equal(a.scalar(n));
      }),
      RUNS,
    );
  });

  it('contains agrees with subtract: subtracting what is contained and adding it back is the identity', () => {
    fc.assert(
      fc.property(resources, resources, (a, b) => {
        if (a.contains(b)) {
          const rest = a.subtract(b);
          expect(nonNegative(rest)).to.equal(true);
          expect(rest.add(b).equals(a)).to.equal(true);
        } else {
          expect(() => a.subtract(b))
            .to.throw(MesocosmError)
            .with.property('code', 'INSUFFICIENT_RESOURCES');
          expect(a.shortfall(b)).to.not.deep.equal([]);
        }
      }),
      RUNS,
    );
  });

  it('contains is reflexive and transitive', () => {
    fc.assert(
      fc.property(resources, resources, resources, (a, b, c) => {
        expect(a.contains(a)).to.equal(true);
        const ab = a.add(b);
        const abc = ab.add(c);
        expect(abc.contains(ab) && ab.contains(a) && abc.contains(a)).to.equal(true);
      }),
      RUNS,
    );
  });

  it('the text form and the wire form round-trip', () => {
    fc.assert(
      fc.property(resources, (r) => {
        expect(Resources.parse(r.toString()).equals(r), r.toString()).to.equal(true);
        expect(Resources.fromProto(r.toProto()).equals(r)).to.equal(true);
      }),
      RUNS,
    );
  });

  it('random text is parsed or refused with a ValidationError, nothing else', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .array(
          fc.constantFrom(
            'cpus',
            ':',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            ',',
            ';',
            '-',
            '1',
            '0.5',
            'web',
            ' ',
            '99999999999999999999',
          ),
          { maxLength: 20 },
        )
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          const r = Resources.parse(t);
          expect(nonNegative(r)).to.equal(true);
        } catch (err) {
          expect(err, String(err)).to.be.instanceOf(ValidationError);
        }
      }),
      { seed: FUZZ_SEED, numRuns: 1000 },
    );
  });

  it('random wire resources are accepted or refused with a ValidationError, nothing else', () => {
    const wild: fc.Arbitrary<IResource> = fc.record(
      {
        name: fc.oneof(name, fc.string({ maxLength: 8 })),
        type: fc.integer({ min: -1, max: 5 }) as fc.Arbitrary<ValueType>,
        scalar: fc.record({ value: fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -1, 1e300)) }),
        ranges: fc.record({
          range: fc.array(
            fc.record({ begin: fc.oneof(fc.integer(), fc.double()), end: fc.oneof(fc.integer(), fc.double()) }),
            { maxLength: 3 },
          ),
        }),
        set: fc.record({ item: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }) }),
        role: fc.oneof(role, fc.string({ maxLength: 4 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(wild, { maxLength: 5 }), (list) => {
        try {
          expect(nonNegative(Resources.fromProto(list))).to.equal(true);
        } catch (err) {
          expect(err, String(err)).to.be.instanceOf(ValidationError);
        }
      }),
      { seed: FUZZ_SEED, numRuns: 1000 },
    );
  });
});
