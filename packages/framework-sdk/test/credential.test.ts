// Credentials from files and the environment: what is read, and errors that
// name the file or variable, never the secret.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  credentialFromEnv,
  CredentialsError as CredentialError,
  readCredentialFile,
  readSecretFile,
  SchedulerDriver,
  silentLogger,
} from '../src/index.js';

describe('credentials', () => {
  let dir: string;
  const file = (name: string): string => join(dir, name);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credential-'));
    await writeFile(file('json'), '{"principal": "agent", "secret": "s3cr3t"}\n');
    await writeFile(file('plain'), '# the agent\nagent   s3cr3t\n');
    await writeFile(file('secret'), 's3cr3t\n');
    await writeFile(file('two-lines'), 'a TOPSECRET\nb TOPSECRET\n');
    await writeFile(file('broken'), '{"principal": "a", "secret": "TOPSECRET"');
    await writeFile(file('empty'), '\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('reads a credential file as JSON or one "principal secret" line, and a secret file without its newline', () => {
    expect(readCredentialFile(file('json'))).to.deep.equal({ principal: 'agent', secret: 's3cr3t' });
    expect(readCredentialFile(file('plain'))).to.deep.equal({ principal: 'agent', secret: 's3cr3t' });
    expect(readSecretFile(file('secret'))).to.equal('s3cr3t');
  });

  it('names the file of a bad credential, never the secret', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => readCredentialFile(file('two-lines')), /two-lines: must hold one line "principal secret"/],
      [() => readCredentialFile(file('broken')), /broken: is not valid JSON/],
      [() => readCredentialFile(file('missing')), /missing: the credential file cannot be read \(ENOENT\)/],
      [() => readSecretFile(file('empty')), /empty: the secret file is empty/],
    ];
    for (const [fn, message] of cases) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(CredentialError);
      expect((err as Error).message)
        .to.match(message)
        .and.not.to.include('TOPSECRET');
    }
  });

  it('takes MESOCOSM_PRINCIPAL with MESOCOSM_SECRET_FILE or MESOCOSM_SECRET', () => {
    expect(credentialFromEnv({})).to.equal(undefined);
    expect(credentialFromEnv({ MESOCOSM_PRINCIPAL: 'web', MESOCOSM_SECRET_FILE: file('secret') })).to.deep.equal({
      principal: 'web',
      secret: 's3cr3t',
    });
    expect(credentialFromEnv({ MESOCOSM_PRINCIPAL: 'web', MESOCOSM_SECRET: 'x' })).to.deep.equal({
      principal: 'web',
      secret: 'x',
    });
    expect(() => credentialFromEnv({ MESOCOSM_PRINCIPAL: 'web' })).to.throw(
      CredentialError,
      /principal 'web' has no secret: set MESOCOSM_SECRET_FILE/,
    );
  });

  it('refuses a malformed credential option when the driver is made', () => {
    const make = (principal: string, secret: string) =>
      new SchedulerDriver({
        master: '127.0.0.1:5060',
        framework: { name: 'f' },
        credential: { principal, secret },
        logger: silentLogger,
      });
    expect(() => make('a:b', 'TOPSECRET')).to.throw(CredentialError, /principal 'a:b' may not contain ':'/);
    expect(() => make('a', '')).to.throw(CredentialError, /the secret of principal 'a' is empty/);
  });
});
