// The agent's executor secret key: 32 random bytes in
// `<work_dir>/meta/executor-secret.key` (mode 0600), made on the first start
// and kept across restarts, so that the tokens of executors a previous run
// launched still verify after the agent recovers them. The I/O edge of
// executor-token.ts.
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@mesocosm/protocol';
import {
  issueExecutorToken,
  verifyExecutorToken,
  type ExecutorClaims,
  type ExecutorHmac,
  type ExecutorTokenCheck,
} from './executor-token.js';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';

const KEY_BYTES = 32;

/** Issues and checks executor tokens with the agent's key. @internal */
export interface ExecutorAuthenticator {
  /** The token of the executor run in `claims` (for its MESOS_EXECUTOR_AUTHENTICATION_TOKEN). */
  issue(claims: ExecutorClaims): string;
  /** Checks an `authorization` metadata value. */
  verify(authorization: string | undefined): ExecutorTokenCheck;
}

/** Where the key lives. */
export function executorSecretPath(workDir: string): string {
  return join(workDir, 'meta', 'executor-secret.key');
}

/** An authenticator over `key` (HMAC-SHA256). */
export function executorAuthenticator(key: Uint8Array): ExecutorAuthenticator {
  const hmac: ExecutorHmac = (data) => createHmac('sha256', key).update(data).digest();
  return {
    issue: (claims) => issueExecutorToken(claims, hmac),
    verify: (authorization) => verifyExecutorToken(authorization, hmac),
  };
}

/** Reads the work dir's executor secret key, or makes one (a missing or short file gets a new key). */
export async function loadExecutorSecret(workDir: string, logger: Logger): Promise<ExecutorAuthenticator> {
  const path = executorSecretPath(workDir);
  const existing = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (existing && existing.length >= KEY_BYTES) return executorAuthenticator(existing);
  if (existing)
    logger.warn(
      'the executor secret key is too short: making a new one (executors launched with the old one cannot subscribe)',
      {
        path,
      },
    );
  const key = randomBytes(KEY_BYTES);
  await writeFileAtomic(path, key, 0o600);
  return executorAuthenticator(key);
}
