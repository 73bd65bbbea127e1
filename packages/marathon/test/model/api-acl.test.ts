// The ACL rules of --http_acls: checking, path patterns, and evaluation
// (examples, then properties over random ids); the shared rule logic is
// tested in the framework SDK's test/http-acl.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  AclConfigError,
  ApiAcl,
  aclPathMatches,
  isUnder,
  parentOf,
  parseAclRules,
  type AclRule,
} from '../../src/index.js';

const segment = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const appId = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`);
/** A group and an id that is often inside it (so that both outcomes are exercised). */
const groupAndId = appId.chain((group) =>
  fc.tuple(
    fc.constant(group),
    fc.oneof(
      appId,
      fc.array(segment, { maxLength: 3 }).map((rest) => [group, ...rest].join('/')),
    ),
  ),
);

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AclConfigError);
    return (err as AclConfigError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  throw new Error('expected an AclConfigError');
}

describe('ACL path patterns', () => {
  it('** covers a group and everything below it; * one segment; a plain path itself only', () => {
    expect(aclPathMatches('/prod/**', '/prod')).to.equal(true);
    expect(aclPathMatches('/prod/**', '/prod/web/api')).to.equal(true);
    expect(aclPathMatches('/prod/**', '/production')).to.equal(false);
    expect(aclPathMatches('/team-a/*', '/team-a/x')).to.equal(true);
    expect(aclPathMatches('/team-a/*', '/team-a')).to.equal(false);
    expect(aclPathMatches('/team-a/*', '/team-a/x/y')).to.equal(false);
    expect(aclPathMatches('/web', '/web')).to.equal(true);
    expect(aclPathMatches('/web', '/web/x')).to.equal(false);
    expect(aclPathMatches('/', '/')).to.equal(true);
    expect(aclPathMatches('/', '/x')).to.equal(false);
    expect(aclPathMatches('/**', '/')).to.equal(true);
  });

  it('* inside a segment and ** in the middle', () => {
    expect(aclPathMatches('/svc-*/db', '/svc-orders/db')).to.equal(true);
    expect(aclPathMatches('/svc-*/db', '/svc-orders/x/db')).to.equal(false);
    expect(aclPathMatches('/**/db', '/a/b/c/db')).to.equal(true);
    expect(aclPathMatches('/**/db', '/db')).to.equal(true);
    expect(aclPathMatches('/a/**/z', '/a/z')).to.equal(true);
    expect(aclPathMatches('/a/**/z', '/a/b/y')).to.equal(false);
  });

  it('is not fooled by regular-expression characters in an id', () => {
    expect(aclPathMatches('/a.b', '/axb')).to.equal(false);
    expect(aclPathMatches('/a.b', '/a.b')).to.equal(true);
  });

  it('refuses malformed patterns with what to write instead', () => {
    expect(problemsOf(() => aclPathMatches('prod/**', '/prod'))[0]).to.match(/must be absolute/);
    expect(problemsOf(() => aclPathMatches('/prod/x**', '/prod'))[0]).to.match(/whole segment/);
    expect(problemsOf(() => aclPathMatches('/prod//x', '/prod'))[0]).to.match(/empty segment/);
    expect(problemsOf(() => aclPathMatches('/prod/../x', '/prod'))[0]).to.match(/\.\./);
    expect(problemsOf(() => aclPathMatches('/Prod', '/prod'))[0]).to.match(/a-z/);
  });

  it('property: /g/** matches exactly the ids under /g', () => {
    fc.assert(
      fc.property(groupAndId, ([group, id]) => {
        expect(aclPathMatches(`${group}/**`, id)).to.equal(isUnder(id, group));
      }),
    );
  });

  it('property: /g/* matches exactly the direct children of /g', () => {
    fc.assert(
      fc.property(groupAndId, ([group, id]) => {
        expect(aclPathMatches(`${group}/*`, id)).to.equal(id !== group && parentOf(id) === group);
      }),
    );
  });

  it('property: a pattern without wildcards matches only itself; /** matches everything', () => {
    fc.assert(
      fc.property(appId, appId, (a, b) => {
        expect(aclPathMatches(a, b)).to.equal(a === b);
        expect(aclPathMatches('/**', b)).to.equal(true);
      }),
    );
  });

  it('property: many ** stay fast and agree with one', () => {
    fc.assert(
      fc.property(appId, fc.integer({ min: 1, max: 8 }), (id, n) => {
        const pattern = `/${Array.from({ length: n }, () => '**').join('/')}`;
        expect(aclPathMatches(pattern, id)).to.equal(true);
      }),
    );
    expect(aclPathMatches(`/${Array.from({ length: 30 }, () => '**').join('/')}/x`, `/${'a/'.repeat(30)}y`)).to.equal(
      false,
    );
  });
});

describe('ACL rules', () => {
  const rules: AclRule[] = [
    { principal: 'alice', actions: ['view', 'create', 'update', 'delete'], paths: ['/team-a/**'] },
    { principal: 'bob', actions: ['view'], paths: ['/team-a/*', '/team-b/**'] },
    { principal: '*', actions: ['view'], paths: ['/public/**'] },
    { principal: 'admin', actions: ['*'], paths: ['/**'] },
  ];
  const acl = new ApiAcl(rules);

  it('allows what a rule gives the principal, and nothing else', () => {
    expect(acl.allows('alice', 'create', '/team-a/x')).to.equal(true);
    expect(acl.allows('alice', 'create', '/team-b/y')).to.equal(false);
    expect(acl.allows('alice', 'kill', '/team-a/x')).to.equal(false);
    expect(acl.allows('bob', 'view', '/team-a/x')).to.equal(true);
    expect(acl.allows('bob', 'view', '/team-a/x/y')).to.equal(false);
    expect(acl.allows('bob', 'update', '/team-b/y')).to.equal(false);
    expect(acl.allows('carol', 'view', '/public/docs')).to.equal(true);
    expect(acl.allows('carol', 'view', '/team-a/x')).to.equal(false);
    expect(acl.allows('admin', 'kill', '/anything/at/all')).to.equal(true);
  });

  it('firstDenied names the first check refused, in order', () => {
    expect(
      acl.firstDenied('alice', [
        { action: 'create', id: '/team-a/x' },
        { action: 'create', id: '/team-b/y' },
        { action: 'create', id: '/team-c/z' },
      ]),
    ).to.deep.equal({ action: 'create', id: '/team-b/y' });
    expect(acl.firstDenied('alice', [{ action: 'view', id: '/team-a' }])).to.equal(undefined);
  });

  it('accepts {"rules": [...]} or the array; every problem at once, as an AclConfigError naming its source', () => {
    expect(parseAclRules({ rules })).to.deep.equal(rules);
    expect(parseAclRules(rules)).to.deep.equal(rules);
    const problems = problemsOf(() =>
      parseAclRules({
        rules: [
          { principal: '', actions: ['view'], paths: ['/a'] },
          { principal: 'x', actions: ['destroy'], paths: ['a', '/b/c**'] },
        ],
      }),
    );
    expect(problems).to.deep.equal([
      'rules[0].principal: must name a principal (or * for every one)',
      "rules[1].actions[0]: 'destroy' is not one of view, create, update, delete, run, kill, *",
      "rules[1].paths[0]: 'a' must be absolute: start it with / (e.g. /team-a/**)",
      "rules[1].paths[1]: '/b/c**': ** must be a whole segment (/a/**, not /a/b**)",
    ]);
    expect(problemsOf(() => parseAclRules({ acls: [] }))[0]).to.match(/^rules: must be an array/);
    expect(() => parseAclRules([{ principal: 'x', actions: ['*'], paths: ['/a//b'] }], '--http_acls')).to.throw(
      AclConfigError,
      /--http_acls/,
    );
    expect(() => new ApiAcl([{ principal: 'x', actions: ['view'], paths: ['web'] }])).to.throw(AclConfigError);
  });
});
