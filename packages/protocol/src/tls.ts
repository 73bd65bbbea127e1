// TLS material for every listener and client: PEM certificates and keys read
// once at start, checked (a file that is missing, not PEM, or a key that does
// not match its certificate is a typed error naming the flag and the file),
// then turned into grpc-js credentials and node:https options. Hot reload is
// not supported: restart to pick up new certificates.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ValidationError } from './errors.js';

/** PEM text (a string or Buffer holding `-----BEGIN ...`), or the path of a PEM file. */
export type PemSource = string | Buffer;

/** TLS of a server: its certificate and key, and the CA that client certificates must chain to. */
export interface TlsServerConfig {
  /** The server's certificate chain (PEM, or a PEM file). */
  cert: PemSource;
  /** The certificate's private key, unencrypted (PEM, or a PEM file). */
  key: PemSource;
  /** CA certificates: those that signed the clients' certificates (mutual TLS), and peers this server calls. */
  ca?: PemSource;
  /** Mutual TLS: refuse gRPC clients without a certificate signed by `ca`. Default false. */
  requireClientCert?: boolean;
}

/**
 * TLS of a client: the CA that signed the server's certificate and, for
 * mutual TLS, the client's own certificate and key.
 */
export interface TlsClientConfig {
  /** CA certificates that the server's certificate must chain to (PEM, or a PEM file); default the system's. */
  ca?: PemSource;
  /** The client's certificate, for a server that asks for one (mutual TLS). Needs `key`. */
  cert?: PemSource;
  /** The client certificate's private key. Needs `cert`. */
  key?: PemSource;
  /** The name the server's certificate must carry, when it is not the host dialled (e.g. dialling an IP). */
  servername?: string;
}

/** What each piece is called where it came from (flags, options or environment variables), for error messages. */
export interface TlsSourceNames {
  cert: string;
  key: string;
  ca: string;
  requireClientCert: string;
}

/** The flag names of `mesocosm master|agent|marathon|chronos`. */
export const TLS_FLAG_NAMES: TlsSourceNames = {
  cert: '--tls-cert',
  key: '--tls-key',
  ca: '--tls-ca',
  requireClientCert: '--tls-require-client-cert',
};

/** The option names of the SDK's `tls` option. */
export const TLS_OPTION_NAMES: TlsSourceNames = {
  cert: 'tls.cert',
  key: 'tls.key',
  ca: 'tls.ca',
  requireClientCert: 'tls.requireClientCert',
};

/** The environment variables a client reads its TLS from (see {@link tlsFromEnv}). */
export const TLS_ENV_NAMES: TlsSourceNames = {
  cert: 'MESOCOSM_TLS_CERT',
  key: 'MESOCOSM_TLS_KEY',
  ca: 'MESOCOSM_TLS_CA',
  requireClientCert: 'MESOCOSM_TLS_REQUIRE_CLIENT_CERT',
};

/** What is wrong with a piece of TLS material. */
export type TlsProblem =
  | 'missing'
  | 'unreadable'
  | 'not-pem'
  | 'bad-certificate'
  | 'bad-key'
  | 'encrypted-key'
  | 'key-mismatch'
  | 'expired'
  | 'incomplete';

/**
 * TLS material that cannot be used; `field` (from ValidationError) is the
 * flag or option, `file` the file read (or `(inline PEM)`), `problem` what is wrong.
 */
export class TlsConfigError extends ValidationError {
  readonly file: string;
  readonly problem: TlsProblem;

  constructor(field: string, file: string, problem: TlsProblem, message: string) {
    super(field, message);
    this.file = file;
    this.problem = problem;
  }
}

/** Checked PEM material, read once. */
export interface TlsMaterial {
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly ca?: Buffer;
  readonly requireClientCert: boolean;
  readonly servername?: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

function isPemText(source: PemSource): boolean {
  return (Buffer.isBuffer(source) ? source.toString('latin1') : source).includes('-----BEGIN ');
}

/** Reads `source` (PEM text as is; otherwise a path). */
function read(source: PemSource, field: string): { pem: Buffer; file: string } {
  if (isPemText(source)) return { pem: Buffer.isBuffer(source) ? source : Buffer.from(source), file: '(inline PEM)' };
  const file = Buffer.isBuffer(source) ? source.toString() : source;
  if (file.trim() === '') throw new TlsConfigError(field, file, 'missing', 'is empty: give the path of a PEM file');
  try {
    return { pem: readFileSync(file), file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TlsConfigError(field, file, 'missing', `${file} does not exist`);
    const why = code === 'EISDIR' ? 'is a directory, not a PEM file' : `cannot be read (${code ?? String(err)})`;
    throw new TlsConfigError(field, file, 'unreadable', `${file} ${why}`);
  }
}

function blocks(pem: Buffer): { label: string; text: string }[] {
  return [...pem.toString('latin1').matchAll(PEM_BLOCK)].map((m) => ({ label: m[1] ?? '', text: m[0] }));
}

/** Every certificate of a PEM bundle, parsed; throws when there is none or one is broken. */
function certificates(pem: Buffer, file: string, field: string, what: string): X509Certificate[] {
  const certs = blocks(pem).filter((b) => b.label === 'CERTIFICATE');
  if (certs.length === 0) {
    const others = blocks(pem).map((b) => b.label);
    const found = others.length > 0 ? `it holds ${others.join(', ')}` : 'it holds no PEM block';
    throw new TlsConfigError(
      field,
      file,
      'not-pem',
      `${file} is not a PEM ${what} (no '-----BEGIN CERTIFICATE-----'; ${found})`,
    );
  }
  return certs.map((b, i) => {
    try {
      return new X509Certificate(b.text);
    } catch (err) {
      throw new TlsConfigError(
        field,
        file,
        'bad-certificate',
        `${file}: certificate ${i + 1} cannot be parsed (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  });
}

function privateKey(pem: Buffer, file: string, field: string): KeyObject {
  const key = blocks(pem).find((b) => b.label.endsWith('PRIVATE KEY'));
  if (!key)
    throw new TlsConfigError(
      field,
      file,
      'not-pem',
      `${file} is not a PEM private key (no '-----BEGIN PRIVATE KEY-----')`,
    );
  if (key.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(key.text))
    throw new TlsConfigError(
      field,
      file,
      'encrypted-key',
      `${file} is encrypted with a passphrase: give an unencrypted key (openssl pkey -in ${file} -out key.pem)`,
    );
  try {
    return createPrivateKey(key.text);
  } catch (err) {
    throw new TlsConfigError(
      field,
      file,
      'bad-key',
      `${file}: the private key cannot be parsed (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

function notExpired(cert: X509Certificate, file: string, field: string, now: number): void {
  const until = Date.parse(cert.validTo);
  if (Number.isFinite(until) && until < now)
    throw new TlsConfigError(
      field,
      file,
      'expired',
      `${file}: the certificate ${cert.subject} expired on ${cert.validTo}`,
    );
}

/**
 * Reads and checks TLS material once: certificates and CA bundles must be
 * PEM certificates, the key a PEM private key matching the certificate, a
 * certificate comes with its key and the other way round, and mutual TLS
 * needs a CA. Throws {@link TlsConfigError} naming the flag (`names`) and the file.
 *
 * @example
 * ```ts
 * const tls = loadTls({ cert: '/etc/mesocosm/server.pem', key: '/etc/mesocosm/server-key.pem', ca: '/etc/mesocosm/ca.pem' });
 * const creds = grpcServerCredentials(tls);
 * ```
 */
export function loadTls(
  config: Partial<TlsServerConfig> & Pick<TlsClientConfig, 'servername'>,
  names: TlsSourceNames = TLS_FLAG_NAMES,
  now: number = Date.now(),
): TlsMaterial {
  const has = (v: PemSource | undefined): v is PemSource => v !== undefined && v !== '';
  if (has(config.cert) !== has(config.key)) {
    const [given, missing] = has(config.cert) ? [names.cert, names.key] : [names.key, names.cert];
    const file = String((has(config.cert) ? config.cert : config.key) ?? '');
    throw new TlsConfigError(
      missing,
      isPemText(file) ? '(inline PEM)' : file,
      'incomplete',
      `is required with ${given}: a certificate is used with its private key`,
    );
  }
  let cert: Buffer | undefined;
  let key: Buffer | undefined;
  if (has(config.cert) && has(config.key)) {
    const c = read(config.cert, names.cert);
    const [leaf] = certificates(c.pem, c.file, names.cert, 'certificate');
    const k = read(config.key, names.key);
    const keyObject = privateKey(k.pem, k.file, names.key);
    if (leaf && !leaf.checkPrivateKey(keyObject))
      throw new TlsConfigError(
        names.key,
        k.file,
        'key-mismatch',
        `${k.file} is not the private key of the certificate in ${c.file} (${leaf.subject})`,
      );
    if (leaf) notExpired(leaf, c.file, names.cert, now);
    cert = c.pem;
    key = k.pem;
  }
  let ca: Buffer | undefined;
  if (has(config.ca)) {
    const a = read(config.ca, names.ca);
    certificates(a.pem, a.file, names.ca, 'CA certificate bundle');
    ca = a.pem;
  }
  const requireClientCert = config.requireClientCert ?? false;
  if (requireClientCert && !ca)
    throw new TlsConfigError(
      names.ca,
      '',
      'incomplete',
      `is required with ${names.requireClientCert}: client certificates are checked against it`,
    );
  if (requireClientCert && !cert)
    throw new TlsConfigError(
      names.cert,
      '',
      'incomplete',
      `is required with ${names.requireClientCert}: mutual TLS needs the server's own certificate and key`,
    );
  return {
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(ca ? { ca } : {}),
    requireClientCert,
    ...(config.servername ? { servername: config.servername } : {}),
  };
}

/** True when `m` can serve TLS (it has a certificate and its key). */
export function servesTls(m: TlsMaterial | undefined): m is TlsMaterial & { cert: Buffer; key: Buffer } {
  return m?.cert !== undefined && m.key !== undefined;
}

/** gRPC server credentials: TLS with `m`'s certificate (checking client certificates when asked), or plaintext without one. */
export function grpcServerCredentials(m: TlsMaterial | undefined): grpc.ServerCredentials {
  if (!servesTls(m)) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(
    m.ca ?? null,
    [{ private_key: m.key, cert_chain: m.cert }],
    m.requireClientCert,
  );
}

/** gRPC channel credentials: TLS when `m` is given (its CA, and its certificate for mutual TLS), else plaintext. */
export function grpcChannelCredentials(m: TlsMaterial | undefined): grpc.ChannelCredentials {
  if (!m) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(m.ca ?? null, m.key ?? null, m.cert ?? null);
}

/** Channel options that go with {@link grpcChannelCredentials} (the name to check, when overridden). */
export function grpcChannelOptions(m: TlsMaterial | undefined): grpc.ChannelOptions {
  return m?.servername ? { 'grpc.ssl_target_name_override': m.servername, 'grpc.default_authority': m.servername } : {};
}

/**
 * Options of `https.createServer`. Client certificates are not asked for
 * over HTTP (browsers and operators authenticate with HTTP credentials);
 * mutual TLS applies to the gRPC APIs.
 */
export function httpsServerOptions(m: TlsMaterial & { cert: Buffer; key: Buffer }): {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
} {
  return { cert: m.cert, key: m.key, ...(m.ca ? { ca: m.ca } : {}) };
}

/** Options of `https.request` to a peer: trust `m`'s CA, present its certificate. */
export function httpsClientOptions(m: TlsMaterial | undefined): {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
} {
  if (!m) return {};
  return {
    ...(m.ca ? { ca: m.ca } : {}),
    ...(m.cert ? { cert: m.cert } : {}),
    ...(m.key ? { key: m.key } : {}),
    ...(m.servername ? { servername: m.servername } : {}),
  };
}

/**
 * A client's TLS from `MESOCOSM_TLS_CA`, `MESOCOSM_TLS_CERT` and
 * `MESOCOSM_TLS_KEY` (paths of PEM files, or PEM text); undefined when none is set.
 */
export function tlsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TlsClientConfig | undefined {
  const ca = env[TLS_ENV_NAMES.ca] || undefined;
  const cert = env[TLS_ENV_NAMES.cert] || undefined;
  const key = env[TLS_ENV_NAMES.key] || undefined;
  if (!ca && !cert && !key) return undefined;
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** Loads a client's TLS: `config` (SDK option names), else the environment (variable names); undefined for plaintext. */
export function loadClientTls(
  config: TlsClientConfig | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): TlsMaterial | undefined {
  if (config) return loadTls(config, TLS_OPTION_NAMES);
  const fromEnv = tlsFromEnv(env);
  return fromEnv ? loadTls(fromEnv, TLS_ENV_NAMES) : undefined;
}

const TLS_FAILURE =
  /certificate|self[-_ ]signed|unable[_ ]to[_ ](verify|get)|CERT_|SSL|TLS|handshake|wrong version number|alert|altnames|Hostname\/IP/i;
const PLAINTEXT_TO_TLS =
  /Failed to connect|Connection dropped|ECONNRESET|socket hang up|Protocol error|Stream removed/i;

/**
 * A connection failure with the likely TLS cause spelled out: a plaintext
 * client talking to a TLS server, a certificate the client does not trust,
 * or a server that wants a client certificate.
 */
export function explainTlsFailure(details: string, tls: boolean, peer = 'server'): string {
  if (tls && TLS_FAILURE.test(details))
    return `${details} (TLS handshake with the ${peer} failed: check that the CA given (tls.ca, --tls-ca or MESOCOSM_TLS_CA) signed the ${peer}'s certificate, that the certificate names the host dialled, and, if the ${peer} requires client certificates, that a certificate and key are given)`;
  if (!tls && PLAINTEXT_TO_TLS.test(details) && !/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(details))
    return `${details} (if the ${peer} serves TLS, connect with TLS: give the CA that signed its certificate as tls.ca, --tls-ca or MESOCOSM_TLS_CA)`;
  return details;
}
