// Executor tokens, in the manner of Mesos' `--authenticate_http_executors`:
// the agent gives each executor it launches a token, a JWT (HS256) whose
// claims name the executor's framework, executor ID and container, signed
// with the agent's executor secret key. The executor sends it back as
// `authorization: Bearer <token>`; the agent checks the signature (who may
// call at all: UNAUTHENTICATED otherwise) and that the claims are the IDs
// the executor subscribes as and the container it runs in (PERMISSION_DENIED
// otherwise). Nothing per executor is stored: a restarted agent recomputes
// the check from its key, so reattached executors still authenticate.
//
// Pure: the HMAC is given (executor-secret.ts holds the key and node:crypto).

/** What a token vouches for. Mesos' claims `fid`, `eid`, `cid`. */
export interface ExecutorClaims {
  readonly frameworkId: string;
  readonly executorId: string;
  readonly containerId: string;
}

/** HMAC-SHA256 of `data` with the agent's executor secret key. */
export type ExecutorHmac = (data: string) => Uint8Array;

/** The outcome of checking a presented token. */
export type ExecutorTokenCheck =
  | { readonly ok: true; readonly claims: ExecutorClaims }
  | { readonly ok: false; readonly code: 'UNAUTHENTICATED'; readonly message: string };

/** The environment variable that carries the token, as in Mesos. */
export const EXECUTOR_TOKEN_VARIABLE = 'MESOS_EXECUTOR_AUTHENTICATION_TOKEN';

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const HOW =
  `custom executors send the token the agent put in ${EXECUTOR_TOKEN_VARIABLE} as gRPC metadata ` +
  `'authorization: Bearer <token>' (the SDK's ExecutorDriver does)`;

function base64url(text: string | Uint8Array): string {
  return Buffer.from(text).toString('base64url');
}

/** Equal bytes, in time independent of where they differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** The token of an executor: `header.claims.signature`, each base64url (a JWT, HS256). Pure. */
export function issueExecutorToken(claims: ExecutorClaims, hmac: ExecutorHmac): string {
  const payload = base64url(
    JSON.stringify({ fid: claims.frameworkId, eid: claims.executorId, cid: claims.containerId }),
  );
  return `${HEADER}.${payload}.${base64url(hmac(`${HEADER}.${payload}`))}`;
}

const refuse = (message: string): ExecutorTokenCheck => ({ ok: false, code: 'UNAUTHENTICATED', message });

/**
 * Checks the `authorization` metadata of an executor stream: a bearer token
 * signed with this agent's key. The message of a refusal says what is wrong
 * and never echoes the token. Pure.
 */
export function verifyExecutorToken(authorization: string | undefined, hmac: ExecutorHmac): ExecutorTokenCheck {
  if (authorization === undefined || authorization.trim() === '')
    return refuse(`no 'authorization' metadata: this agent authenticates executors; ${HOW}`);
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return refuse(`the 'authorization' metadata is not 'Bearer <token>': ${HOW}`);
  const parts = (m[1] ?? '').split('.');
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || header === undefined || payload === undefined || signature === undefined)
    return refuse(`the bearer token is not an executor token of a Mesocosm agent: ${HOW}`);
  const expected = hmac(`${header}.${payload}`);
  if (header !== HEADER || !sameBytes(Buffer.from(signature, 'base64url'), expected))
    return refuse(
      `the bearer token was not issued by this agent (or its executor secret key changed): ${HOW}, and only to the executors this agent launched`,
    );
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return refuse('the bearer token carries unreadable claims');
  }
  const c = claims as { fid?: unknown; eid?: unknown; cid?: unknown } | null;
  if (typeof c?.fid !== 'string' || typeof c.eid !== 'string' || typeof c.cid !== 'string')
    return refuse('the bearer token does not name a framework, an executor and a container');
  return { ok: true, claims: { frameworkId: c.fid, executorId: c.eid, containerId: c.cid } };
}

/**
 * Why an authenticated executor may not act as `frameworkId`/`executorId`
 * in container `containerId` (the container the agent runs that executor
 * in; undefined when it runs none), or undefined when it may. Pure.
 */
export function executorPermission(
  claims: ExecutorClaims,
  frameworkId: string,
  executorId: string,
  containerId: string | undefined,
): string | undefined {
  if (claims.frameworkId !== frameworkId || claims.executorId !== executorId)
    return `the token was issued to executor '${claims.executorId}' of framework '${claims.frameworkId}': it may not act as executor '${executorId}' of framework '${frameworkId}'`;
  if (containerId !== undefined && claims.containerId !== containerId)
    return `the token was issued to an earlier run of executor '${executorId}' (container '${claims.containerId}'), not to the one running now (container '${containerId}')`;
  return undefined;
}
