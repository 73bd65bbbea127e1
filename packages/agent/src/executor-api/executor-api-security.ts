// How the executor API is protected: executor tokens (on unless
// `--authenticate_http_executors=false`) and, when the agent has
// `--tls-cert`/`--tls-key`, TLS. Executors learn both from their
// environment: the token, and the path of a CA bundle that verifies the
// agent's certificate (its `--tls-ca` and its own certificate, written to
// `<work_dir>/meta/executor-api-ca.pem` at each start, so that a certificate
// signed by the CA and a self-signed one both verify).
import { join } from 'node:path';
import { servesTls, type Logger, type TlsMaterial } from '@mesocosm/protocol';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import { loadExecutorSecret, type ExecutorAuthenticator } from './executor-secret.js';
import type { ExecutorClaims } from './executor-token.js';

/** What an executor run is given to reach its agent's executor API. */
export interface ExecutorApiCredentials {
  /** Its token (MESOS_EXECUTOR_AUTHENTICATION_TOKEN); absent when executors are not authenticated. */
  readonly token?: string;
  /** A PEM file of CAs that verify the executor API's certificate (MESOCOSM_EXECUTOR_TLS_CA); absent without TLS. */
  readonly tlsCa?: string;
}

/** The executor API's protection, for the server and for launching executors. @internal */
export interface ExecutorApiSecurity {
  /** Checks executor tokens; undefined when executors are not authenticated. */
  readonly authenticator: ExecutorAuthenticator | undefined;
  /** The server's certificate and key; undefined for plaintext. */
  readonly tls: (TlsMaterial & { cert: Buffer; key: Buffer }) | undefined;
  /** What the executor run `claims` is told. */
  credentials(claims: ExecutorClaims): ExecutorApiCredentials;
}

/** Where the executors' CA bundle is written. */
export function executorCaPath(workDir: string): string {
  return join(workDir, 'meta', 'executor-api-ca.pem');
}

/** Plaintext and unauthenticated: what an agent without either gets (and unit tests). */
export const OPEN_EXECUTOR_API: ExecutorApiSecurity = {
  authenticator: undefined,
  tls: undefined,
  credentials: () => ({}),
};

/**
 * Prepares the executor API's protection: loads (or makes) the executor
 * secret key when `authenticate`, writes the CA bundle when `tls` serves.
 */
export async function executorApiSecurity(
  workDir: string,
  tls: TlsMaterial | undefined,
  authenticate: boolean,
  logger: Logger,
): Promise<ExecutorApiSecurity> {
  const authenticator = authenticate ? await loadExecutorSecret(workDir, logger) : undefined;
  if (!authenticate)
    logger.warn(
      'executors are not authenticated (--authenticate_http_executors=false): any local process may subscribe as any executor of this agent',
    );
  let serving: ExecutorApiSecurity['tls'];
  let tlsCa: string | undefined;
  if (servesTls(tls)) {
    // Executors have no client certificate: the token authenticates them.
    serving = { cert: tls.cert, key: tls.key, requireClientCert: false };
    tlsCa = executorCaPath(workDir);
    const bundle = [tls.ca, tls.cert].filter((b): b is Buffer => b !== undefined).map((b) => b.toString('latin1'));
    await writeFileAtomic(tlsCa, bundle.map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join(''));
  }
  return {
    authenticator,
    tls: serving,
    credentials: (claims) => ({
      ...(authenticator ? { token: authenticator.issue(claims) } : {}),
      ...(tlsCa ? { tlsCa } : {}),
    }),
  };
}
