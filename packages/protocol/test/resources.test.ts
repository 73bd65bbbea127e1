import { expect } from 'chai';
import fc from 'fast-check';
import {
  Resources,
  ResourceParseError,
  ValidationError,
  MesocosmError,
  ValueType,
  type IResource,
} from '../src/index.js';

describe('Resources', () => {
  it('parses Mesos resource syntax with roles, ranges and sets', () => {
    const r = Resources.parse('cpus:4;mem:8192;disk(ops):100;ports:[31000-31005,31010];zones:{b,a}');
    expect(r.scalar('cpus')).to.equal(4);
    expect(r.scalar('mem')).to.equal(8192);
    expect(r.scalar('disk')).to.equal(100);
    expect(r.scalar('disk', '*')).to.equal(0);
    expect(r.scalar('disk', 'ops')).to.equal(100);
    expect(r.ranges('ports')).to.deep.equal([
      [31000, 31005],
      [31010, 31010],
    ]);
    expect(r.toString()).to.equal('cpus:4;mem:8192;disk(ops):100;ports:[31000-31005,31010];zones:{a,b}');
  });

  it('is exact for fractional cpus', () => {
    let r = Resources.EMPTY;
    for (let i = 0; i < 10; i++) r = r.add(Resources.scalar('cpus', 0.1));
    expect(r.scalar('cpus')).to.equal(1);
    expect(Resources.parse('cpus:0.3').equals(Resources.parse('cpus:0.1').add(Resources.parse('cpus:0.2')))).to.equal(
      true,
    );
    expect(Resources.parse('cpus:1').subtract(Resources.parse('cpus:0.7')).scalar('cpus')).to.equal(0.3);
  });

  it('subtracts and contains ranges', () => {
    const all = Resources.parse('ports:[31000-31010]');
    const two = Resources.parse('ports:[31002-31003]');
    expect(all.contains(two)).to.equal(true);
    expect(all.subtract(two).ranges('ports')).to.deep.equal([
      [31000, 31001],
      [31004, 31010],
    ]);
    expect(all.contains(Resources.parse('ports:[31009-31011]'))).to.equal(false);
  });

  it('keeps roles apart: reserved resources do not satisfy unreserved requests', () => {
    const pool = Resources.parse('cpus(web):2;cpus:1');
    expect(pool.contains(Resources.parse('cpus:2'))).to.equal(false);
    expect(pool.contains(Resources.parse('cpus(web):2;cpus:1'))).to.equal(true);
    expect(pool.allocatableTo('web').scalar('cpus')).to.equal(3);
    expect(pool.allocatableTo('batch').scalar('cpus')).to.equal(1);
    expect(pool.withRole('*').contains(Resources.parse('cpus:3'))).to.equal(true);
  });

  it('refuses to subtract what is not there', () => {
    expect(() => Resources.parse('cpus:1').subtract(Resources.parse('cpus:2')))
      .to.throw(MesocosmError)
      .with.property('code', 'INSUFFICIENT_RESOURCES');
  });

  it('reports the shortfall of a request', () => {
    const s = Resources.parse('cpus:1;mem:128').shortfall(Resources.parse('cpus:2;mem:64;ports:[1-2]'));
    expect(s).to.deep.equal([
      { name: 'cpus', role: '*', requested: 2, available: 1 },
      { name: 'ports', role: '*', requested: 2, available: 0 },
    ]);
  });

  it('rejects malformed text with a clear error', () => {
    for (const bad of ['cpus', 'cpus:-1', 'cpus:abc', 'ports:[5-1]', 'ports:[1-2', '9x:1']) {
      expect(() => Resources.parse(bad), bad).to.throw(ResourceParseError, /cannot parse/);
    }
  });

  it('rejects malformed wire resources naming the entry', () => {
    const cases: IResource[][] = [
      [{ name: 'cpus', type: ValueType.SCALAR, scalar: { value: -1 } }],
      [{ name: 'cpus', type: ValueType.SCALAR, scalar: { value: Number.NaN } }],
      [{ name: 'mem', type: ValueType.SCALAR }],
      [{ name: '', type: ValueType.SCALAR, scalar: { value: 1 } }],
      [{ name: 'ports', type: ValueType.RANGES, ranges: { range: [{ begin: 10, end: 5 }] } }],
      [{ name: 'x', type: 99 as ValueType, scalar: { value: 1 } }],
    ];
    for (const c of cases) {
      expect(() => Resources.fromProto(c))
        .to.throw(ValidationError)
        .with.property('field')
        .that.matches(/^resources\[0\]/);
    }
  });

  it('round-trips through the wire form', () => {
    const r = Resources.parse('cpus:1.5;mem:64;ports:[1-3,7];s:{x,y};gpus(ml):1');
    expect(Resources.fromProto(r.toProto()).equals(r)).to.equal(true);
  });

  describe('properties', () => {
    const scalar = fc.integer({ min: 0, max: 1_000_000 }).map((m) => m / 1000);
    const range = fc
      .tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 50 }))
      .map(([b, n]) => [b, b + n] as const);
    const role = fc.constantFrom('*', 'web', 'batch');
    const resources = fc
      .record({
        cpus: scalar,
        mem: scalar,
        role,
        ports: fc.array(range, { maxLength: 4 }),
      })
      .map(({ cpus, mem, role: r, ports }) =>
        Resources.scalar('cpus', cpus, r).add(Resources.scalar('mem', mem)).add(Resources.ranges('ports', ports)),
      );

    it('a + b contains a and b, and (a + b) - b equals a', () => {
      fc.assert(
        fc.property(resources, resources, (a, b) => {
          const sum = a.add(b);
          expect(sum.contains(a)).to.equal(true);
          expect(sum.contains(b)).to.equal(true);
          // Ranges overlap under union, so subtraction is exact only for scalars.
          const back = sum.subtract(b);
          for (const name of ['cpus', 'mem']) {
            expect(back.scalar(name)).to.equal(a.scalar(name));
          }
        }),
      );
    });

    it('addition is commutative and associative', () => {
      fc.assert(
        fc.property(resources, resources, resources, (a, b, c) => {
          expect(a.add(b).equals(b.add(a))).to.equal(true);
          expect(
            a
              .add(b)
              .add(c)
              .equals(a.add(b.add(c))),
          ).to.equal(true);
        }),
      );
    });

    it('repeated fractional adds and subtracts never drift or go negative', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 60 }), (millis) => {
          let pool = Resources.scalar('cpus', 100);
          const parts = millis.map((m) => Resources.scalar('cpus', m / 1000));
          for (const p of parts) pool = pool.subtract(p);
          for (const p of parts.reverse()) pool = pool.add(p);
          expect(pool.scalar('cpus')).to.equal(100);
        }),
      );
    });

    it('contains agrees with subtract: subtract succeeds exactly when contained', () => {
      fc.assert(
        fc.property(resources, resources, (a, b) => {
          if (a.contains(b)) {
            const rest = a.subtract(b);
            expect(rest.scalar('cpus')).to.be.at.least(0);
            expect(rest.add(b).contains(a)).to.equal(true);
          } else {
            expect(() => a.subtract(b)).to.throw(MesocosmError);
          }
        }),
      );
    });

    it('parse(toString(r)) equals r', () => {
      fc.assert(fc.property(resources, (r) => Resources.parse(r.toString()).equals(r)));
    });
  });
});
