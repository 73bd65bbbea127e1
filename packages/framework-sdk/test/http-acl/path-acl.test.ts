// The REST API path ACLs shared by Marathon and Chronos: rule checking (every
// problem at once, each under its place), evaluation with a pluggable path
// matcher, and the `*` wildcard; examples, then properties.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  HTTP_ACL_ACTIONS,
  HttpAcl,
  checkHttpAclRules,
  wildcardMatch,
  type HttpAclRule,
  type PathPatternMatcher,
} from '../../src/index.js';

/** A toy syntax: names of a-z, 0-9, '_', '.', '-', in which `*` stands for any run of characters. */
const WORDS: PathPatternMatcher = {
  patternProblem: (p) => (/^[a-z0-9_.*-]+$/.test(p) ? undefined : `'${p}' may hold only a-z, 0-9, _, ., - and *`),
  matches: wildcardMatch,
};

function problemsOf(json: unknown): string[] {
  const checked = checkHttpAclRules(json, WORDS);
  if (checked.ok) throw new Error('expected problems');
  return checked.problems.map((p) => `${p.field}: ${p.message}`);
}

function acl(rules: readonly HttpAclRule[]): HttpAcl {
  const checked = checkHttpAclRules(rules, WORDS);
  if (!checked.ok) throw new Error(checked.problems.map((p) => p.message).join('; '));
  return new HttpAcl(checked.rules, WORDS);
}

const name = fc.stringMatching(/^[a-z0-9_.-]{1,12}$/);
const patternPart = fc.stringMatching(/^[a-z0-9_.-]{0,4}$/);
const pattern = fc.array(patternPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('*') || '*');
/** A pattern and a text that often fits it (its stars filled in), so that both outcomes are exercised. */
const patternAndText = pattern.chain((p) =>
  fc.tuple(
    fc.constant(p),
    fc.oneof(
      name,
      fc
        .array(fc.stringMatching(/^[a-z0-9_.-]{0,3}$/), {
          minLength: p.split('*').length,
          maxLength: p.split('*').length,
        })
        .map((fills) => p.split('*').reduce((out, part, i) => `${out}${i > 0 ? (fills[i] ?? '') : ''}${part}`, '')),
    ),
  ),
);

/** A reference matcher: the pattern as a regular expression (fine for short test inputs). */
function reference(p: string, text: string): boolean {
  const source = p
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(text);
}

describe('wildcardMatch', () => {
  it('a prefix, a suffix, everything, one text; other characters stand for themselves', () => {
    expect(wildcardMatch('team-a-*', 'team-a-backup')).to.equal(true);
    expect(wildcardMatch('team-a-*', 'team-b-backup')).to.equal(false);
    expect(wildcardMatch('*-nightly', 'etl-nightly')).to.equal(true);
    expect(wildcardMatch('*', '')).to.equal(true);
    expect(wildcardMatch('backup', 'backup')).to.equal(true);
    expect(wildcardMatch('backup', 'backup2')).to.equal(false);
    expect(wildcardMatch('a.b', 'axb')).to.equal(false);
  });

  it('property: agrees with the regular expression of the pattern', () => {
    fc.assert(
      fc.property(patternAndText, ([p, t]) => {
        expect(wildcardMatch(p, t)).to.equal(reference(p, t));
      }),
    );
  });

  it('stays fast on many wildcards against a long text that does not match', () => {
    expect(wildcardMatch(`${'a*'.repeat(40)}b`, 'a'.repeat(200))).to.equal(false);
  });
});

describe('checkHttpAclRules', () => {
  const rules: HttpAclRule[] = [
    { principal: 'alice', actions: ['view', 'create'], paths: ['team-a-*'] },
    { principal: '*', actions: ['*'], paths: ['public'] },
  ];

  it('accepts {"rules": [...]} or the array alone, giving the rules as written', () => {
    expect(checkHttpAclRules({ rules }, WORDS)).to.deep.equal({ ok: true, rules });
    expect(checkHttpAclRules(rules, WORDS)).to.deep.equal({ ok: true, rules });
    expect(checkHttpAclRules([], WORDS)).to.deep.equal({ ok: true, rules: [] });
  });

  it('reports every problem at once, each under its place, patterns through the matcher', () => {
    expect(
      problemsOf({
        rules: [
          { principal: '', actions: ['view'], paths: ['a'] },
          { principal: 'x', actions: ['destroy'], paths: ['A/b'] },
          { principal: 'x', actions: [], paths: ['a'], role: 'web' },
          'everything',
          { actions: ['view', 3] },
          [],
          { principal: 'y', actions: 'view', paths: [''] },
        ],
      }),
    ).to.deep.equal([
      'rules[0].principal: must name a principal (or * for every one)',
      "rules[1].actions[0]: 'destroy' is not one of view, create, update, delete, run, kill, *",
      "rules[1].paths[0]: 'A/b' may hold only a-z, 0-9, _, ., - and *",
      'rules[2].role: is not a rule field (principal, actions, paths)',
      'rules[2].actions: must be a non-empty array of strings, got an empty array',
      'rules[3]: must be an object {principal, actions, paths}, got a string',
      'rules[4].principal: must name a principal (or * for every one)',
      'rules[4].actions[1]: must be a non-empty string, got a number',
      'rules[4].paths: is required: a non-empty array of strings',
      'rules[5]: must be an object {principal, actions, paths}, got an empty array',
      'rules[6].actions: must be a non-empty array of strings, got a string',
      'rules[6].paths[0]: must be a non-empty string, got a string',
    ]);
  });

  it('names what stood where the rules should be', () => {
    const missing = problemsOf({ acls: [] });
    expect(missing).to.have.length(1);
    expect(missing[0]).to.match(/^rules: must be an array of \{principal, actions, paths\}/);
    expect(problemsOf('rules')).to.deep.equal(['rules: must be an array of {principal, actions, paths}, got a string']);
    expect(problemsOf(null)).to.deep.equal(['rules: must be an array of {principal, actions, paths}, got null']);
  });
});

describe('HttpAcl', () => {
  const a = acl([
    { principal: 'alice', actions: ['*'], paths: ['team-a-*'] },
    { principal: 'bob', actions: ['view', 'run'], paths: ['team-b-*', 'shared'] },
    { principal: '*', actions: ['view'], paths: ['public-*'] },
  ]);

  it('allows what a rule gives the principal (or every principal), and nothing else', () => {
    expect(a.size).to.equal(3);
    for (const action of HTTP_ACL_ACTIONS) expect(a.allows('alice', action, 'team-a-x')).to.equal(true);
    expect(a.allows('alice', 'view', 'team-b-x')).to.equal(false);
    expect(a.allows('bob', 'run', 'shared')).to.equal(true);
    expect(a.allows('bob', 'delete', 'team-b-x')).to.equal(false);
    expect(a.allows('carol', 'view', 'public-report')).to.equal(true);
    expect(a.allows('carol', 'run', 'public-report')).to.equal(false);
  });

  it('firstRefused gives the first check refused, in order, or undefined', () => {
    const checks = [
      { action: 'view' as const, job: 'shared' },
      { action: 'view' as const, job: 'team-a-x' },
      { action: 'delete' as const, job: 'team-b-x' },
    ];
    expect(a.firstRefused('bob', checks, (c) => c.job)).to.equal(checks[1]);
    expect(a.firstRefused('alice', checks.slice(1, 2), (c) => c.job)).to.equal(undefined);
    expect(a.firstRefused('nobody', [], (c: { action: 'view' }) => c.action)).to.equal(undefined);
  });

  it('asks the matcher whether a pattern covers a path', () => {
    const seen: [string, string][] = [];
    const everything: PathPatternMatcher = {
      patternProblem: () => undefined,
      matches: (p, path) => {
        seen.push([p, path]);
        return p === 'ANY';
      },
    };
    const b = new HttpAcl([{ principal: 'x', actions: ['view'], paths: ['one', 'ANY'] }], everything);
    expect(b.allows('x', 'view', '/some/where')).to.equal(true);
    expect(seen).to.deep.equal([
      ['one', '/some/where'],
      ['ANY', '/some/where'],
    ]);
  });

  it('property: no rules deny everything; adding a rule never takes a permission away', () => {
    const action = fc.constantFrom(...HTTP_ACL_ACTIONS);
    const rule = fc.record({
      principal: fc.constantFrom('alice', 'bob', '*'),
      actions: fc.array(fc.oneof(action, fc.constant('*' as const)), { minLength: 1, maxLength: 3 }),
      paths: fc.array(pattern, { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(rule, { maxLength: 5 }),
        rule,
        fc.constantFrom('alice', 'bob'),
        action,
        name,
        (rs, extra, who, act, path) => {
          expect(acl([]).allows(who, act, path)).to.equal(false);
          const before = acl(rs).allows(who, act, path);
          if (before) expect(acl([...rs, extra]).allows(who, act, path)).to.equal(true);
          // A rule for someone else changes nothing for `who`.
          const other = acl([...rs, { ...extra, principal: who === 'alice' ? 'bob' : 'alice' }]);
          expect(other.allows(who, act, path)).to.equal(before);
        },
      ),
    );
  });
});
