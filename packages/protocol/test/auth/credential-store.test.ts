// Checking what a caller presents: secrets and tokens as digests, the
// `authorization` header, and a REST API's door. (The master's tests moved
// here when the master's, Marathon's and Chronos' copies became one.)
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  basicAuthorization,
  CredentialsError,
  CredentialStore,
  HttpAuthGuard,
  loadCredentialsFile,
  parseAuthorization,
} from '../../src/index.js';

describe('credential store', () => {
  it('checks secrets and tokens, telling unknown principals and wrong secrets apart from neither', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'creds-'));
    try {
      await writeFile(join(dir, 'c'), 'a s1\nb s2\n');
      const store = new CredentialStore({
        ...loadCredentialsFile(join(dir, 'c')),
        tokens: [{ principal: 'ci', token: 'tttttttttttttttttttt' }],
      });
      expect(store.verify('a', 's1')).to.equal(true);
      expect(store.verify('a', 's2')).to.equal(false);
      expect(store.verify('a', 's1 ')).to.equal(false);
      expect(store.verify('z', 's1')).to.equal(false);
      expect(store.principalOfToken('tttttttttttttttttttt')).to.equal('ci');
      expect(store.principalOfToken('s1')).to.equal(undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('authorization header', () => {
  it('reads Basic and Bearer, and says why another value cannot be read', () => {
    expect(parseAuthorization(basicAuthorization('p', 's:with:colons'))).to.deep.equal({
      scheme: 'basic',
      principal: 'p',
      secret: 's:with:colons',
    });
    expect(parseAuthorization('bearer abc')).to.deep.equal({ scheme: 'bearer', token: 'abc' });
    expect(parseAuthorization(undefined)).to.equal(undefined);
    expect(parseAuthorization('Digest x')).to.deep.include({ scheme: 'invalid' });
    expect(parseAuthorization('Basic !!!')).to.deep.include({ scheme: 'invalid' });
    expect(parseAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`)).to.deep.include({
      scheme: 'invalid',
    });
  });
});

describe('credential store: authenticate an Authorization value', () => {
  const store = new CredentialStore({
    credentials: [{ principal: 'alice', secret: 'pa:ss' }],
    tokens: [{ principal: 'ci', token: 'ci-token' }],
  });

  it('lets in the right secret or token, and says why not otherwise, a wrong secret reading as an unknown principal', () => {
    expect(store.authenticate(basicAuthorization('alice', 'pa:ss'))).to.deep.equal({ ok: true, principal: 'alice' });
    expect(store.authenticate('Bearer ci-token')).to.deep.equal({ ok: true, principal: 'ci' });
    expect(store.authenticate(basicAuthorization('alice', 'wrong'))).to.deep.equal(
      store.authenticate(basicAuthorization('mallory', 'pa:ss')),
    );
    expect(store.authenticate(undefined)).to.deep.include({ ok: false });
    expect(store.authenticate('Bearer nope')).to.deep.equal({ ok: false, reason: 'invalid bearer token' });
    expect(store.authenticate('Digest x')).to.deep.equal({
      ok: false,
      reason: "the Authorization header cannot be read: scheme 'Digest' is not Basic or Bearer",
    });
    expect(store.principals).to.equal(2);
  });

  it('an HTTP API needs someone to authenticate, and a realm that cannot break its challenge; its ACL is its own', () => {
    const compile = (rules: string[]): Set<string> => new Set(rules);
    expect(() => new HttpAuthGuard({ acls: ['r'] }, 'api', compile)).to.throw(
      CredentialsError,
      /need credentials or tokens/,
    );
    const tokens = [{ principal: 'ci', token: 't' }];
    const guard = new HttpAuthGuard({ tokens, realm: 'a"b\\c\n', acls: ['r1', 'r2'] }, 'api', compile);
    expect(guard.challenge).to.equal('Basic realm="abc"');
    expect(guard.describe()).to.deep.equal({ principals: 1, aclRules: 2 });
    expect(guard.authenticateHeader('Bearer t')).to.deep.equal({ ok: true, principal: 'ci' });
    const open = new HttpAuthGuard<string[], Set<string>>({ tokens }, 'api', compile);
    expect(open.challenge).to.equal('Basic realm="api"');
    expect(open.describe()).to.deep.equal({ principals: 1, aclRules: 'none (all allowed)' });
  });
});
