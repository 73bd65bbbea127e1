// Credentials, tokens and ACL files of the REST API read from the flags:
// errors name the flag, file and entry at fault but never a secret. (The
// forms themselves are tested with the one parser, in protocol's test/auth/.)
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclConfigError, loadApiAuth } from '../../src/index.js';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('api auth: loadApiAuth (the flags and their files)', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'marathon-auth-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is undefined without any flag (the API stays open)', async () => {
    expect(await loadApiAuth({})).to.equal(undefined);
    expect(await loadApiAuth({ realm: 'x' })).to.equal(undefined);
  });

  it('combines --http_credentials, the credentials file, the tokens file and the ACLs', async () => {
    await writeFile(join(dir, 'creds'), 'bob:b\n');
    await writeFile(join(dir, 'tokens'), '{"tokens": [{"principal": "ci", "token": "tok"}]}');
    const rules = [{ principal: 'ci', actions: ['view'], paths: ['/**'] }];
    await writeFile(join(dir, 'acls.json'), JSON.stringify({ rules }));
    const auth = await loadApiAuth({
      credentials: 'alice:a',
      credentialsFile: join(dir, 'creds'),
      tokensFile: join(dir, 'tokens'),
      aclsFile: join(dir, 'acls.json'),
      realm: 'prod',
    });
    expect(auth).to.deep.equal({
      credentials: [
        { principal: 'alice', secret: 'a' },
        { principal: 'bob', secret: 'b' },
      ],
      tokens: [{ principal: 'ci', token: 'tok' }],
      acls: rules,
      realm: 'prod',
    });
  });

  it('refuses ACLs without principals, unreadable files and bad rules, naming the flag and file', async () => {
    await writeFile(join(dir, 'acls.json'), '{"rules": [{"principal": "a", "actions": ["fly"], "paths": ["/x"]}]}');
    const alone = await rejection(loadApiAuth({ aclsFile: join(dir, 'acls.json') }));
    expect(alone.message).to.match(/^--http_acls: needs principals to authenticate/);
    const missing = await rejection(loadApiAuth({ credentialsFile: join(dir, 'nope') }));
    expect(missing.message).to.match(/--http_credentials_file: cannot read .*nope \(ENOENT\)/);
    const rules = await rejection(loadApiAuth({ credentials: 'a:b', aclsFile: join(dir, 'acls.json') }));
    expect(rules).to.be.instanceOf(AclConfigError);
    expect(rules.message).to.contain(`--http_acls ${join(dir, 'acls.json')}: rules[0].actions[0]: 'fly' is not one of`);
    await writeFile(join(dir, 'creds'), 'alice:other\n');
    const twice = await rejection(loadApiAuth({ credentials: 'alice:a', credentialsFile: join(dir, 'creds') }));
    expect(twice.message).to.match(/principal 'alice' is also in --http_credentials/);
  });
});
