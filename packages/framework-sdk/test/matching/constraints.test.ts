// Marathon constraints: parsing as users write them, and each operator's
// verdicts, table-driven.
import { expect } from 'chai';
import {
  ValidationError,
  checkConstraints,
  constraintToJson,
  formatConstraint,
  formatScalar,
  parseAttributes,
  parseConstraint,
  parseConstraints,
  type Placement,
} from '../../src/index.js';

/** An agent: hostname plus `--attributes` text. */
const at = (hostname: string, attributes = ''): Placement => ({ hostname, attributes: parseAttributes(attributes) });

describe('parseConstraint', () => {
  const valid: Array<[unknown, object]> = [
    [['hostname', 'UNIQUE'], { field: 'hostname', operator: 'UNIQUE' }],
    [['@hostname', 'unique'], { field: '@hostname', operator: 'UNIQUE' }],
    [['rack', 'CLUSTER', 'a'], { field: 'rack', operator: 'CLUSTER', value: 'a' }],
    [['rack', 'CLUSTER'], { field: 'rack', operator: 'CLUSTER' }],
    [['zone', 'GROUP_BY'], { field: 'zone', operator: 'GROUP_BY' }],
    [['zone', 'GROUP_BY', '3'], { field: 'zone', operator: 'GROUP_BY', value: '3' }],
    [['hostname', 'LIKE', 'web.*'], { field: 'hostname', operator: 'LIKE', value: 'web.*' }],
    [['hostname', 'UNLIKE', 'db.*'], { field: 'hostname', operator: 'UNLIKE', value: 'db.*' }],
    [['rack', 'MAX_PER', '2'], { field: 'rack', operator: 'MAX_PER', value: '2' }],
    [['rack', 'MAX_PER', 2], { field: 'rack', operator: 'MAX_PER', value: '2' }],
    [['level', 'IS', '0.8'], { field: 'level', operator: 'IS', value: '0.8' }],
    [['hostname', 'UNIQUE', ''], { field: 'hostname', operator: 'UNIQUE' }],
    [
      { fieldName: 'rack', operator: 'CLUSTER', value: 'a' },
      { field: 'rack', operator: 'CLUSTER', value: 'a' },
    ],
  ];
  for (const [json, want] of valid) {
    it(`parses ${JSON.stringify(json)}`, () => {
      expect(parseConstraint(json)).to.deep.equal(want);
    });
  }

  const invalid: Array<[unknown, string]> = [
    [['hostname'], 'constraints[1]: must be [field, operator] or [field, operator, value], got 1 item(s)'],
    [['a', 'UNIQUE', 'x', 'y'], 'constraints[1]: must be [field, operator]'],
    ['hostname:UNIQUE', 'constraints[1]: must be [field, operator]'],
    [['', 'UNIQUE'], 'constraints[1][0]: the field'],
    [[3, 'UNIQUE'], 'constraints[1][0]: must be a string, got 3'],
    [[{}, 'UNIQUE'], 'constraints[1][0]: must be a string'],
    [['@zone', 'GROUP_BY'], 'constraints[1][0]: @zone: fault domains are not supported'],
    [
      ['rack', 'SOMEWHERE'],
      "constraints[1][1]: operator must be one of UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE, IS, got 'SOMEWHERE'",
    ],
    [['hostname', 'UNIQUE', 'x'], 'constraints[1][2]: UNIQUE does not accept a value'],
    [
      ['zone', 'GROUP_BY', 'three'],
      "constraints[1][2]: GROUP_BY takes the expected number of groups or no value, got 'three'",
    ],
    [['rack', 'MAX_PER'], 'constraints[1][2]: MAX_PER requires an integer value'],
    [['rack', 'MAX_PER', '-1'], 'constraints[1][2]: MAX_PER requires an integer value'],
    [['hostname', 'LIKE'], 'constraints[1][2]: LIKE requires a regular expression value'],
    [['hostname', 'UNLIKE', 'web[('], "constraints[1][2]: 'web[(' is not a valid regular expression"],
    [['rack', 'IS', '{a,b}'], 'constraints[1][2]: IS requires a Mesos text or scalar value'],
    [['rack', 'IS'], 'constraints[1][2]: IS requires a Mesos text or scalar value'],
  ];
  for (const [json, message] of invalid) {
    it(`rejects ${JSON.stringify(json)} naming the item`, () => {
      let caught: unknown;
      try {
        parseConstraint(json, 'constraints[1]');
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(ValidationError);
      expect((caught as ValidationError).message).to.contain(message);
      expect((caught as ValidationError).field).to.match(/^constraints\[1\]/);
    });
  }

  it('parses a list, naming the failing item', () => {
    expect(
      parseConstraints([
        ['hostname', 'UNIQUE'],
        ['rack', 'MAX_PER', '2'],
      ]),
    ).to.have.length(2);
    expect(parseConstraints(undefined)).to.deep.equal([]);
    expect(() =>
      parseConstraints([
        ['hostname', 'UNIQUE'],
        ['rack', 'NOPE'],
      ]),
    ).to.throw(ValidationError, /^constraints\[1\]\[1\]: operator must be one of/);
    expect(() => parseConstraints({ hostname: 'UNIQUE' })).to.throw(ValidationError, /constraints: must be a list/);
  });

  it('formats constraints back as text and JSON', () => {
    const c = parseConstraint(['rack', 'cluster', 'a']);
    expect(formatConstraint(c)).to.equal('rack:CLUSTER:a');
    expect(constraintToJson(c)).to.deep.equal(['rack', 'CLUSTER', 'a']);
    expect(formatConstraint(parseConstraint(['hostname', 'UNIQUE']))).to.equal('hostname:UNIQUE');
  });
});

describe('checkConstraints', () => {
  type Row = [string, unknown, Placement, Placement[], boolean];
  const rows: Row[] = [
    // UNIQUE
    ['UNIQUE: a new host', ['hostname', 'UNIQUE'], at('h3'), [at('h1'), at('h2')], true],
    ['UNIQUE: a used host', ['hostname', 'UNIQUE'], at('h1'), [at('h1'), at('h2')], false],
    ['UNIQUE on an attribute', ['rack', 'UNIQUE'], at('h3', 'rack:r1'), [at('h1', 'rack:r1')], false],
    [
      'UNIQUE: placed tasks without the attribute do not count',
      ['rack', 'UNIQUE'],
      at('h3', 'rack:r1'),
      [at('h1')],
      true,
    ],
    // CLUSTER
    ['CLUSTER v: the value', ['rack', 'CLUSTER', 'r1'], at('h1', 'rack:r1'), [], true],
    ['CLUSTER v: another value', ['rack', 'CLUSTER', 'r1'], at('h1', 'rack:r2'), [], false],
    ['CLUSTER v on hostname', ['hostname', 'CLUSTER', 'h1'], at('h2'), [], false],
    ['CLUSTER: first task anywhere', ['rack', 'CLUSTER'], at('h1', 'rack:r2'), [], true],
    ['CLUSTER: follows the first task', ['rack', 'CLUSTER'], at('h2', 'rack:r2'), [at('h1', 'rack:r2')], true],
    ['CLUSTER: not elsewhere', ['rack', 'CLUSTER'], at('h2', 'rack:r1'), [at('h1', 'rack:r2')], false],
    ['CLUSTER on hostname: same host', ['@hostname', 'CLUSTER'], at('h1'), [at('h1')], true],
    // GROUP_BY
    ['GROUP_BY: a new value', ['rack', 'GROUP_BY'], at('h', 'rack:r2'), [at('a', 'rack:r1')], true],
    [
      'GROUP_BY: the least used value',
      ['rack', 'GROUP_BY'],
      at('h', 'rack:r2'),
      [at('a', 'rack:r1'), at('b', 'rack:r1'), at('c', 'rack:r2')],
      true,
    ],
    [
      'GROUP_BY: a value ahead',
      ['rack', 'GROUP_BY'],
      at('h', 'rack:r1'),
      [at('a', 'rack:r1'), at('b', 'rack:r1'), at('c', 'rack:r2')],
      false,
    ],
    [
      'GROUP_BY: balanced values',
      ['rack', 'GROUP_BY'],
      at('h', 'rack:r1'),
      [at('a', 'rack:r1'), at('c', 'rack:r2')],
      true,
    ],
    [
      'GROUP_BY 3: waits for a third value',
      ['rack', 'GROUP_BY', '3'],
      at('h', 'rack:r1'),
      [at('a', 'rack:r1'), at('c', 'rack:r2')],
      false,
    ],
    [
      'GROUP_BY 3: takes the third value',
      ['rack', 'GROUP_BY', '3'],
      at('h', 'rack:r3'),
      [at('a', 'rack:r1'), at('c', 'rack:r2')],
      true,
    ],
    [
      'GROUP_BY 2: balanced over 2',
      ['rack', 'GROUP_BY', '2'],
      at('h', 'rack:r1'),
      [at('a', 'rack:r1'), at('c', 'rack:r2')],
      true,
    ],
    ['GROUP_BY: an agent without the attribute', ['rack', 'GROUP_BY'], at('h'), [], false],
    // MAX_PER
    [
      'MAX_PER 2: one there',
      ['rack', 'MAX_PER', '2'],
      at('h', 'rack:r1'),
      [at('a', 'rack:r1'), at('b', 'rack:r2')],
      true,
    ],
    [
      'MAX_PER 2: two there',
      ['rack', 'MAX_PER', '2'],
      at('h', 'rack:r1'),
      [at('a', 'rack:r1'), at('b', 'rack:r1')],
      false,
    ],
    ['MAX_PER 1 on hostname', ['hostname', 'MAX_PER', '1'], at('a'), [at('a')], false],
    ['MAX_PER 0: never', ['rack', 'MAX_PER', '0'], at('h', 'rack:r1'), [], false],
    // LIKE / UNLIKE: whole-value regex
    ['LIKE: matches', ['hostname', 'LIKE', 'web.*'], at('web-1'), [], true],
    ['LIKE: only a substring matches', ['hostname', 'LIKE', 'web'], at('web-1'), [], false],
    ['LIKE: no match', ['hostname', 'LIKE', 'web.*'], at('db-1'), [], false],
    ['LIKE on an attribute', ['rack', 'LIKE', 'r[1-3]'], at('h', 'rack:r2'), [], true],
    ['LIKE: agent lacks the attribute', ['rack', 'LIKE', '.*'], at('h'), [], false],
    ['UNLIKE: no match', ['hostname', 'UNLIKE', 'db.*'], at('web-1'), [], true],
    ['UNLIKE: match', ['hostname', 'UNLIKE', 'db.*'], at('db-1'), [], false],
    ['UNLIKE: agent lacks the attribute', ['rack', 'UNLIKE', 'r1'], at('h'), [], true],
    // IS, scalars to the thousandth
    ['IS text', ['rack', 'IS', 'r1'], at('h', 'rack:r1'), [], true],
    ['IS text, other', ['rack', 'IS', 'r1'], at('h', 'rack:r2'), [], false],
    ['IS scalar 0.8 = 0.80', ['level', 'IS', '0.80'], at('h', 'level:0.8'), [], true],
    ['IS scalar 0.8 = 0.8001', ['level', 'IS', '0.8001'], at('h', 'level:0.8'), [], true],
    ['IS scalar 0.8 != 0.81', ['level', 'IS', '0.81'], at('h', 'level:0.8'), [], false],
    ['IS: agent lacks the attribute', ['level', 'IS', '1'], at('h'), [], false],
    // Ranges and sets, formatted as Marathon does
    ['LIKE over a set (sorted items)', ['disks', 'LIKE', '\\{a,b\\}'], at('h', 'disks:{b,a}'), [], true],
    ['CLUSTER over ranges', ['ids', 'CLUSTER', '[1-2,5-6]'], at('h', 'ids:[5-6,1-2]'), [], true],
    // Attributes given as a name -> text map
    [
      'UNIQUE over a record',
      ['rack', 'UNIQUE'],
      { hostname: 'h', attributes: { rack: 'r1' } },
      [{ hostname: 'a', attributes: { rack: 'r1' } }],
      false,
    ],
    ['IS over a record scalar', ['level', 'IS', '3'], { hostname: 'h', attributes: { level: '3.0' } }, [], true],
  ];
  for (const [name, json, candidate, placed, ok] of rows) {
    it(`${name}: ${ok ? 'accepts' : 'refuses'}`, () => {
      const c = parseConstraint(json);
      const check = checkConstraints([c], candidate, placed);
      expect(check.ok, JSON.stringify(check)).to.equal(ok);
      if (!check.ok) {
        expect(check.reason).to.equal(`constraint ${formatConstraint(c)}`);
        expect(check.constraint).to.deep.equal(c);
        expect(check.detail).to.be.a('string').and.not.equal('');
      }
    });
  }

  it('reports the first failing constraint, with a detail naming the value', () => {
    const cs = parseConstraints([
      ['hostname', 'LIKE', 'web.*'],
      ['hostname', 'UNIQUE'],
      ['rack', 'MAX_PER', '1'],
    ]);
    const check = checkConstraints(cs, at('web-1', 'rack:r1'), [at('web-1', 'rack:r1')]);
    expect(check).to.deep.include({
      ok: false,
      reason: 'constraint hostname:UNIQUE',
      detail: "a task already runs where hostname is 'web-1'",
    });
    expect(checkConstraints([], at('x'), [at('x')])).to.deep.equal({ ok: true });
  });

  it('accepts an IOffer as the candidate', () => {
    const offer = { id: { value: 'o1' }, hostname: 'h1', attributes: parseAttributes('rack:r1') };
    const c = parseConstraints([['rack', 'CLUSTER', 'r1']]);
    expect(checkConstraints(c, offer, []).ok).to.equal(true);
  });
});

describe('formatScalar', () => {
  const rows: Array<[number, string]> = [
    [3, '3'],
    [0.8, '0.8'],
    [0.8001, '0.8'],
    [1.0005, '1'], // below the tie in binary
    [1.1005, '1.101'], // above the tie in binary
    [0.0625, '0.062'], // an exact tie: half-even
    [0.1875, '0.188'],
    [-2.5, '-2.5'],
    [-0.0001, '0'],
    [1234567.125, '1234567.125'],
  ];
  for (const [n, s] of rows) {
    it(`${n} -> ${s}`, () => expect(formatScalar(n)).to.equal(s));
  }
});
