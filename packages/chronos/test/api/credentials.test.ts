// Chronos' --http_credentials, tokens and ACL files: read once at start,
// refused with the flag, file and entry named, never a secret.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsError, parseCredentialList } from '@mesocosm/framework-sdk';
import { AclConfigError, loadApiAuth } from '../../src/index.js';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('chronos api auth: loadApiAuth', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'chronos-auth-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads the credentials, the tokens and the job rules', async () => {
    await writeFile(join(dir, 'tokens'), 'ci:t0k3n\n');
    const rules = [{ principal: 'ci', actions: ['run'], paths: ['nightly-*'] }];
    await writeFile(join(dir, 'acls.json'), JSON.stringify(rules));
    expect(
      await loadApiAuth({ credentials: 'ops:pw', tokensFile: join(dir, 'tokens'), aclsFile: join(dir, 'acls.json') }),
    ).to.deep.equal({
      credentials: [{ principal: 'ops', secret: 'pw' }],
      tokens: [{ principal: 'ci', token: 't0k3n' }],
      acls: rules,
    });
    expect(await loadApiAuth({})).to.equal(undefined);
  });

  it('refuses Marathon-style paths, ACLs without principals and bad credentials without quoting a secret', async () => {
    await writeFile(
      join(dir, 'acls.json'),
      JSON.stringify({ rules: [{ principal: 'a', actions: ['view'], paths: ['/a/**'] }] }),
    );
    const paths = await rejection(loadApiAuth({ credentials: 'a:b', aclsFile: join(dir, 'acls.json') }));
    expect(paths).to.be.instanceOf(AclConfigError);
    expect(paths.message).to.match(/rules\[0\]\.paths\[0\]: '\/a\/\*\*': job names have no '\/'/);
    const alone = await rejection(loadApiAuth({ aclsFile: join(dir, 'acls.json') }));
    expect(alone.message).to.match(/--http_acls: needs principals/);
    try {
      parseCredentialList('ops:s3cr3t,ops:again');
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.be.instanceOf(CredentialsError);
      expect((err as Error).message).to.equal(
        "--http_credentials: principal 'ops' has more than one password; give each one",
      );
    }
  });
});
