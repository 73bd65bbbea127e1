// loadTls and friends on real PEM files made by openssl in a temp dir: every
// way the material can be wrong is a TlsConfigError naming the flag, the
// file and the problem; good material becomes credentials and options.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  explainTlsFailure,
  grpcChannelCredentials,
  grpcServerCredentials,
  httpsClientOptions,
  loadClientTls,
  loadTls,
  TLS_ENV_NAMES,
  TLS_OPTION_NAMES,
  TlsConfigError,
  tlsFromEnv,
  type TlsProblem,
} from '../src/index.js';

const ssl = (dir: string, ...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function expectTlsError(fn: () => unknown, field: string, problem: TlsProblem, text: string): TlsConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'a TlsConfigError').to.be.instanceOf(TlsConfigError);
  const e = caught as TlsConfigError;
  expect(e.field).to.equal(field);
  expect(e.problem).to.equal(problem);
  expect(e.message).to.include(text);
  return e;
}

describe('tls: loadTls', () => {
  let dir: string;
  const f = (name: string): string => join(dir, name);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tls-unit-'));
    const key = (out: string): void =>
      ssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out);
    key('ca-key.pem');
    ssl(dir, 'req', '-x509', '-new', '-key', 'ca-key.pem', '-subj', '/CN=unit-ca', '-days', '1', '-out', 'ca.pem');
    key('key.pem');
    ssl(dir, 'req', '-new', '-key', 'key.pem', '-subj', '/CN=localhost', '-out', 'cert.csr');
    writeFileSync(f('ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    ssl(
      dir,
      'x509',
      '-req',
      '-in',
      'cert.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      'ext',
      '-out',
      'cert.pem',
    );
    key('other-key.pem');
    ssl(dir, 'pkey', '-in', 'key.pem', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted-key.pem');
    writeFileSync(f('not-pem.txt'), 'just text\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a certificate, its key and a CA, from files or inline PEM', () => {
    const m = loadTls({ cert: f('cert.pem'), key: f('key.pem'), ca: f('ca.pem'), requireClientCert: true });
    expect(m.cert?.toString()).to.include('BEGIN CERTIFICATE');
    expect(m.key?.toString()).to.include('PRIVATE KEY');
    expect(m.requireClientCert).to.equal(true);
    const inline = loadTls({ ca: readFileSync(f('ca.pem'), 'utf8') }, TLS_OPTION_NAMES);
    expect(inline.ca?.toString()).to.equal(readFileSync(f('ca.pem'), 'utf8'));
    expect(grpcServerCredentials(m)._isSecure()).to.equal(true);
    expect(grpcServerCredentials(undefined)._isSecure()).to.equal(false);
    expect(grpcChannelCredentials(inline)._isSecure()).to.equal(true);
    expect(grpcChannelCredentials(undefined)._isSecure()).to.equal(false);
    expect(Object.keys(httpsClientOptions(m)).sort()).to.deep.equal(['ca', 'cert', 'key']);
  });

  it('names the flag and the file of a missing file, or a directory', () => {
    expectTlsError(
      () => loadTls({ cert: f('nope.pem'), key: f('key.pem') }),
      '--tls-cert',
      'missing',
      `${f('nope.pem')} does not exist`,
    );
    expectTlsError(() => loadTls({ ca: dir }, TLS_OPTION_NAMES), 'tls.ca', 'unreadable', 'is a directory');
  });

  it('refuses files that are not PEM of the right kind', () => {
    expectTlsError(
      () => loadTls({ cert: f('not-pem.txt'), key: f('key.pem') }),
      '--tls-cert',
      'not-pem',
      'is not a PEM certificate',
    );
    expectTlsError(
      () => loadTls({ cert: f('key.pem'), key: f('key.pem') }),
      '--tls-cert',
      'not-pem',
      'it holds PRIVATE KEY',
    );
    expectTlsError(
      () => loadTls({ cert: f('cert.pem'), key: f('cert.pem') }),
      '--tls-key',
      'not-pem',
      'is not a PEM private key',
    );
    expectTlsError(() => loadTls({ ca: f('not-pem.txt') }), '--tls-ca', 'not-pem', 'CA certificate bundle');
  });

  it('refuses a key of another certificate, and an encrypted key', () => {
    expectTlsError(
      () => loadTls({ cert: f('cert.pem'), key: f('other-key.pem') }),
      '--tls-key',
      'key-mismatch',
      `${f('other-key.pem')} is not the private key of the certificate in ${f('cert.pem')}`,
    );
    expectTlsError(
      () => loadTls({ cert: f('cert.pem'), key: f('encrypted-key.pem') }),
      '--tls-key',
      'encrypted-key',
      'is encrypted with a passphrase',
    );
  });

  it('refuses half a pair, mutual TLS without a CA, and an expired certificate', () => {
    expectTlsError(() => loadTls({ cert: f('cert.pem') }), '--tls-key', 'incomplete', 'is required with --tls-cert');
    expectTlsError(
      () => loadTls({ key: f('key.pem') }, TLS_OPTION_NAMES),
      'tls.cert',
      'incomplete',
      'is required with tls.key',
    );
    expectTlsError(
      () => loadTls({ cert: f('cert.pem'), key: f('key.pem'), requireClientCert: true }),
      '--tls-ca',
      'incomplete',
      'is required with --tls-require-client-cert',
    );
    const inTenYears = Date.now() + 10 * 365 * 24 * 3600 * 1000;
    expectTlsError(
      () => loadTls({ cert: f('cert.pem'), key: f('key.pem') }, undefined, inTenYears),
      '--tls-cert',
      'expired',
      'expired on',
    );
  });

  it('reads a client TLS from MESOCOSM_TLS_* when no option is given, naming the variable', () => {
    expect(tlsFromEnv({})).to.equal(undefined);
    expect(loadClientTls(undefined, {})).to.equal(undefined);
    const m = loadClientTls(undefined, { MESOCOSM_TLS_CA: f('ca.pem') });
    expect(m?.ca?.toString()).to.include('BEGIN CERTIFICATE');
    expectTlsError(
      () => loadClientTls(undefined, { MESOCOSM_TLS_CA: f('nope.pem') }),
      TLS_ENV_NAMES.ca,
      'missing',
      'does not exist',
    );
    // The option wins over the environment.
    expect(loadClientTls({ ca: f('ca.pem') }, { MESOCOSM_TLS_CA: f('nope.pem') })?.ca).to.not.equal(undefined);
  });

  it('explains a TLS failure of a connection', () => {
    expect(explainTlsFailure('Failed to connect', false, 'master')).to.include('if the master serves TLS');
    expect(explainTlsFailure('connect ECONNREFUSED 127.0.0.1:5060', false)).to.equal(
      'connect ECONNREFUSED 127.0.0.1:5060',
    );
    expect(explainTlsFailure('self-signed certificate in certificate chain', true, 'master')).to.include(
      'TLS handshake with the master failed',
    );
    expect(explainTlsFailure('deadline exceeded', true)).to.equal('deadline exceeded');
  });
});
