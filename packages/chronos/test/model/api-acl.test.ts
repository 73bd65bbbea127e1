// The ACL rules of --http_acls for jobs: checking, name patterns, and
// evaluation through Chronos' layer (the shared rule logic is tested in the
// framework SDK's test/http-acl).
import { expect } from 'chai';
import fc from 'fast-check';
import { AclConfigError, ApiAcl, aclNameMatches, parseAclRules, type AclRule } from '../../src/index.js';

const name = fc.stringMatching(/^[a-z0-9_.-]{1,12}$/);

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
    expect(() => aclNameMatches('/team-a/**', 'x')).to.throw(
      AclConfigError,
      /^acls: pattern: '\/team-a\/\*\*': job names have no '\/'; write a prefix as team-a-\*$/,
    );
    expect(() => aclNameMatches('team a', 'x')).to.throw(AclConfigError, /'team a' may hold only letters, digits/);
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

  it('reports every problem of a file at once, as an AclConfigError naming its source', () => {
    expect(parseAclRules({ rules })).to.deep.equal(rules);
    expect(() => parseAclRules([{ principal: 'x', actions: ['*'], paths: ['a/b'] }], '--http_acls')).to.throw(
      AclConfigError,
      /--http_acls/,
    );
    expect(() => new ApiAcl([{ principal: 'x', actions: ['view'], paths: ['team a'] }])).to.throw(AclConfigError);
    expect(() => parseAclRules([{ principal: 'x', actions: ['launch'], paths: ['a/b'] }, { actions: ['view'] }]))
      .to.throw(AclConfigError)
      .with.property('problems')
      .that.deep.equals([
        {
          field: 'rules[0].actions[0]',
          message: "'launch' is not one of view, create, update, delete, run, kill, *",
        },
        { field: 'rules[0].paths[0]', message: "'a/b': job names have no '/'; write a prefix as team-a-*" },
        { field: 'rules[1].principal', message: 'must name a principal (or * for every one)' },
        { field: 'rules[1].paths', message: 'is required: a non-empty array of strings' },
      ]);
  });
});
