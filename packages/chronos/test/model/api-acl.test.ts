// The ACL rules of --http_acls for jobs: checking, name patterns, and
// evaluation (examples, then properties over random names and rule sets).
import { expect } from 'chai';
import fc from 'fast-check';
import { AclConfigError, ApiAcl, aclNameMatches, parseAclRules, type AclRule } from '../../src/index.js';

const name = fc.stringMatching(/^[a-z0-9_.-]{1,12}$/);
const patternPart = fc.stringMatching(/^[a-z0-9_.-]{0,4}$/);
const pattern = fc.array(patternPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('*') || '*');
/** A pattern and a name that often fits it (its stars filled in), so that both outcomes are exercised. */
const patternAndName = pattern.chain((p) =>
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

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AclConfigError);
    return (err as AclConfigError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  throw new Error('expected an AclConfigError');
}

describe('ACL job name patterns', () => {
  it('a prefix, a suffix, every job, one job', () => {
    expect(aclNameMatches('team-a-*', 'team-a-backup')).to.equal(true);
    expect(aclNameMatches('team-a-*', 'team-b-backup')).to.equal(false);
    expect(aclNameMatches('*-nightly', 'etl-nightly')).to.equal(true);
    expect(aclNameMatches('*', 'anything')).to.equal(true);
    expect(aclNameMatches('backup', 'backup')).to.equal(true);
    expect(aclNameMatches('backup', 'backup2')).to.equal(false);
    expect(aclNameMatches('a.b', 'axb')).to.equal(false);
  });

  it('refuses patterns that cannot name a job, saying how to write a prefix', () => {
    expect(problemsOf(() => aclNameMatches('/team-a/**', 'x'))[0]).to.match(/no '\/'; write a prefix as team-a-\*/);
    expect(problemsOf(() => aclNameMatches('team a', 'x'))[0]).to.match(/may hold only/);
  });

  it('property: agrees with the regular expression of the pattern', () => {
    fc.assert(
      fc.property(patternAndName, ([p, n]) => {
        expect(aclNameMatches(p, n)).to.equal(reference(p, n));
      }),
    );
  });

  it('property: prefix* matches exactly the names with that prefix; a plain name only itself', () => {
    fc.assert(
      fc.property(name, name, (prefix, n) => {
        expect(aclNameMatches(`${prefix}*`, `${prefix}${n}`)).to.equal(true);
        expect(aclNameMatches(`${prefix}*`, n)).to.equal(n.startsWith(prefix));
        expect(aclNameMatches(prefix, n)).to.equal(prefix === n);
      }),
    );
  });

  it('stays fast on many wildcards against a long name that does not match', () => {
    const p = `${'a*'.repeat(40)}b`;
    expect(aclNameMatches(p, 'a'.repeat(200))).to.equal(false);
  });
});

describe('ACL job rules', () => {
  const rules: AclRule[] = [
    { principal: 'alice', actions: ['*'], paths: ['team-a-*'] },
    { principal: 'bob', actions: ['view', 'run'], paths: ['team-b-*', 'shared'] },
    { principal: '*', actions: ['view'], paths: ['public-*'] },
  ];
  const acl = new ApiAcl(rules);

  it('allows what a rule gives the principal, and nothing else', () => {
    expect(acl.allows('alice', 'kill', 'team-a-x')).to.equal(true);
    expect(acl.allows('alice', 'view', 'team-b-x')).to.equal(false);
    expect(acl.allows('bob', 'run', 'shared')).to.equal(true);
    expect(acl.allows('bob', 'delete', 'team-b-x')).to.equal(false);
    expect(acl.allows('carol', 'view', 'public-report')).to.equal(true);
    expect(acl.allows('carol', 'run', 'public-report')).to.equal(false);
    expect(
      acl.firstDenied('bob', [
        { action: 'view', job: 'shared' },
        { action: 'view', job: 'team-a-x' },
      ]),
    ).to.deep.equal({ action: 'view', job: 'team-a-x' });
  });

  it('reports every problem of a file at once', () => {
    expect(parseAclRules({ rules })).to.deep.equal(rules);
    expect(
      problemsOf(() => parseAclRules([{ principal: 'x', actions: ['launch'], paths: ['a/b'] }, { actions: ['view'] }])),
    ).to.deep.equal([
      "rules[0].actions[0]: 'launch' is not one of view, create, update, delete, run, kill, *",
      "rules[0].paths[0]: 'a/b': job names have no '/'; write a prefix as team-a-*",
      'rules[1].principal: must name a principal (or * for every one)',
      'rules[1].paths: is required: a non-empty array of strings',
    ]);
  });

  it('property: no rules deny everything; adding a rule never takes a permission away', () => {
    const action = fc.constantFrom('view', 'create', 'update', 'delete', 'run', 'kill' as const);
    const rule = fc.record({
      principal: fc.constantFrom('alice', 'bob', '*'),
      actions: fc.array(fc.oneof(action, fc.constant('*' as const)), { minLength: 1, maxLength: 3 }),
      paths: fc.array(pattern, { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 5 }), rule, action, name, (rs, extra, act, job) => {
        expect(new ApiAcl([]).allows('alice', act, job)).to.equal(false);
        if (new ApiAcl(rs).allows('alice', act, job)) {
          expect(new ApiAcl([...rs, extra]).allows('alice', act, job)).to.equal(true);
        }
      }),
    );
  });
});
