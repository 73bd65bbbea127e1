// TLS for `mesocosm local`: `--tls` makes a throwaway CA and a certificate
// for 127.0.0.1 in the cluster's work dir; `--tls-cert`, `--tls-key` and
// `--tls-ca` use the operator's own files instead, checked before anything
// starts. Then the master, the agents, Marathon and Chronos all serve TLS,
// and the lines printed tell a user how to talk to them.
import { X509Certificate } from 'node:crypto';
import { loadTls, TLS_FLAG_NAMES } from '@mesocosm/protocol';
import { UsageError } from '../errors.js';
import { pick, type Raw } from '../option-args.js';

/** The PEM files the whole local cluster serves and verifies with. */
export interface LocalTlsFiles {
  cert: string;
  key: string;
  ca: string;
}

/** How `mesocosm local` does TLS: a throwaway CA (`--tls`), or the operator's files. */
export type LocalTls = { generate: true } | { generate: false; files: LocalTlsFiles };

/**
 * The TLS of `mesocosm local`'s flags; undefined without any. The three
 * file flags go together (they imply `--tls`). Pure.
 * @throws UsageError naming the flag that is missing.
 */
export function localTlsFlags(raw: Raw): LocalTls | undefined {
  const cert = pick<string>(raw, 'tlsCert');
  const key = pick<string>(raw, 'tlsKey');
  const ca = pick<string>(raw, 'tlsCa');
  const given = { '--tls-cert': cert, '--tls-key': key, '--tls-ca': ca };
  const named = Object.entries(given).filter(([, v]) => v !== undefined);
  if (named.length === 0) return pick<boolean>(raw, 'tls') ? { generate: true } : undefined;
  const missing = Object.entries(given).find(([, v]) => v === undefined)?.[0];
  if (missing !== undefined || cert === undefined || key === undefined || ca === undefined) {
    throw new UsageError(
      missing ?? '--tls-ca',
      `is required with ${named.map(([f]) => f).join(' and ')}: the master, agents, Marathon and Chronos ` +
        'serve with the certificate and key and verify each other with the CA (or give only --tls for a throwaway CA)',
    );
  }
  return { generate: false, files: { cert, key, ca } };
}

/**
 * Reads and checks the operator's files before anything starts: PEM, the
 * key of the certificate, not expired, and a certificate valid for
 * 127.0.0.1 (every member listens and is dialled there).
 * @throws TlsConfigError or UsageError, naming the flag and the file (the CLI exits with status 2).
 */
export function checkLocalTlsFiles(files: LocalTlsFiles): void {
  const material = loadTls(files, TLS_FLAG_NAMES);
  const cert = material.cert ? new X509Certificate(material.cert) : undefined;
  if (cert && cert.checkIP('127.0.0.1') === undefined) {
    throw new UsageError(
      '--tls-cert',
      `${files.cert} is not valid for 127.0.0.1 (subjectAltName: ${cert.subjectAltName ?? 'none'}): ` +
        'mesocosm local serves on 127.0.0.1, so the certificate must name IP:127.0.0.1',
    );
  }
}

/** The lines `mesocosm local --tls` prints: the CA, and how curl, the CLI and frameworks use it. Pure. */
export function describeTls(caFile: string, masterHttp: string, masterGrpc: string, generated: boolean): string[] {
  return [
    `  TLS CA       ${caFile}   (${generated ? 'throwaway, made for this run' : 'given with --tls-ca'}; every URL above is https)`,
    `    curl       curl --cacert ${caFile} ${masterHttp}/master/state`,
    `    CLI        export MESOCOSM_MASTER=${masterHttp} MESOCOSM_TLS_CA=${caFile}   (then: mesocosm agents, mesocosm tasks)`,
    `               or: mesocosm agents --master ${masterHttp} --tls-ca ${caFile}`,
    `    frameworks --master ${masterGrpc} --tls-ca ${caFile}   (SDK: tls: { ca }, or MESOCOSM_TLS_CA)`,
  ];
}
