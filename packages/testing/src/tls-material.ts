// Throwaway TLS material for tests: a CA, a server certificate for
// 127.0.0.1/localhost/::1, and a client certificate, all signed by that CA,
// made with the openssl command at run time. Never use it outside tests.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { LocalClusterError } from './errors.js';

const run = promisify(execFile);

/** The files (and their PEM text) of {@link generateTlsMaterial}. */
export interface TlsFiles {
  /** The directory holding them. */
  readonly dir: string;
  /** The CA certificate: give it as `--tls-ca`, `tls.ca` or MESOCOSM_TLS_CA. */
  readonly caFile: string;
  /** A certificate valid for 127.0.0.1, ::1, localhost (and `hosts`), usable by servers and clients. */
  readonly certFile: string;
  readonly keyFile: string;
  /** A client certificate (CN `client`, clientAuth only) for mutual TLS. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** PEM text of the CA certificate. */
  readonly ca: string;
}

/** Options of {@link generateTlsMaterial}. */
export interface TlsMaterialOptions {
  /** More names or IPs for the server certificate's subjectAltName. */
  hosts?: readonly string[];
  /** The CA's common name (default `mesocosm-test-ca`). */
  caName?: string;
  /** The openssl binary (default `openssl` on PATH). */
  openssl?: string;
}

function altNames(hosts: readonly string[]): string {
  const ips = ['127.0.0.1', '::1'];
  const names = ['localhost'];
  for (const h of hosts) (/^[\d.]+$|:/.test(h) ? ips : names).push(h);
  return [...ips.map((ip) => `IP:${ip}`), ...names.map((n) => `DNS:${n}`)].join(',');
}

/**
 * Makes a throwaway CA and certificates signed by it in `dir` (created if
 * needed) with openssl: `ca.pem`, `cert.pem` + `key.pem` (server and client
 * use, for 127.0.0.1, ::1 and localhost), `client.pem` + `client-key.pem`.
 * EC P-256 keys, valid for a day.
 *
 * @example
 * ```ts
 * const tls = await generateTlsMaterial(join(workDir, 'tls'));
 * const master = await Master.start({ tls: { cert: tls.certFile, key: tls.keyFile, ca: tls.caFile } });
 * ```
 */
export async function generateTlsMaterial(dir: string, options: TlsMaterialOptions = {}): Promise<TlsFiles> {
  const openssl = options.openssl ?? 'openssl';
  await mkdir(dir, { recursive: true });
  const f = (name: string): string => join(dir, name);
  const ssl = async (...args: string[]): Promise<void> => {
    try {
      await run(openssl, args, { cwd: dir });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      const why =
        e.code === 'ENOENT' ? `${openssl} is not installed (apt-get install openssl)` : (e.stderr ?? e.message);
      throw new LocalClusterError(`cannot make test TLS material with openssl ${args[0] ?? ''}: ${why}`, {
        cause: err,
      });
    }
  };
  const ecKey = (out: string): Promise<void> =>
    ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(out));
  await ecKey('ca-key.pem');
  await ssl(
    'req',
    '-x509',
    '-new',
    '-key',
    f('ca-key.pem'),
    '-subj',
    `/CN=${options.caName ?? 'mesocosm-test-ca'}`,
    '-days',
    '1',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    f('ca.pem'),
  );
  const leaf = async (name: string, cn: string, ext: string): Promise<void> => {
    await ecKey(`${name}-key.pem`);
    await ssl('req', '-new', '-key', f(`${name}-key.pem`), '-subj', `/CN=${cn}`, '-out', f(`${name}.csr`));
    await writeFile(f(`${name}.ext`), ext);
    await ssl(
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca-key.pem'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      f(`${name}.ext`),
      '-out',
      f(`${name}.pem`),
    );
  };
  await leaf(
    'cert',
    'localhost',
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${altNames(options.hosts ?? [])}\n`,
  );
  await leaf(
    'client',
    'client',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  return {
    dir,
    caFile: f('ca.pem'),
    certFile: f('cert.pem'),
    keyFile: f('cert-key.pem'),
    clientCertFile: f('client.pem'),
    clientKeyFile: f('client-key.pem'),
    ca: await readFile(f('ca.pem'), 'utf8'),
  };
}

/**
 * {@link TlsFiles} over PEM files someone else made (`cert` serves as the
 * client certificate too). @internal
 * @throws LocalClusterError when the CA file cannot be read.
 */
export async function givenTlsMaterial(files: { cert: string; key: string; ca: string }): Promise<TlsFiles> {
  let ca: string;
  try {
    ca = await readFile(files.ca, 'utf8');
  } catch (err) {
    throw new LocalClusterError(`tls.material.ca: cannot read ${files.ca}: ${(err as Error).message}`, { cause: err });
  }
  return {
    dir: dirname(files.ca),
    caFile: files.ca,
    certFile: files.cert,
    keyFile: files.key,
    clientCertFile: files.cert,
    clientKeyFile: files.key,
    ca,
  };
}
