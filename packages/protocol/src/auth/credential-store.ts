// The credentials a server accepts, kept only as SHA-256 digests: secrets
// are compared in constant time, and an unknown principal costs the same
// comparison as a wrong secret, so that neither can be told apart.
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseAuthorization } from './authorization-header.js';
import type { CredentialsSpec } from './credentials.js';

/** Who an `authorization` value authenticates, or why it does not (the reason never tells a wrong secret from an unknown principal). */
export type Authentication =
  { readonly ok: true; readonly principal: string } | { readonly ok: false; readonly reason: string };

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Compared against when the principal is unknown, so that both cases take the same time. */
const DECOY = digest('\u0000no such principal\u0000');

/**
 * Principals with secrets (HTTP basic) and bearer tokens, as digests.
 *
 * @example
 * ```ts
 * const store = new CredentialStore({ credentials: [{ principal: 'ops', secret: 's3cret' }] });
 * store.authenticate(basicAuthorization('ops', 's3cret')); // { ok: true, principal: 'ops' }
 * ```
 */
export class CredentialStore {
  private readonly secrets = new Map<string, Buffer>();
  private readonly tokens = new Map<string, string>();

  constructor(spec: Partial<CredentialsSpec>) {
    for (const c of spec.credentials ?? []) this.secrets.set(c.principal, digest(c.secret));
    for (const t of spec.tokens ?? []) this.tokens.set(digest(t.token).toString('hex'), t.principal);
  }

  /** How many principals can authenticate (with a secret or a token). */
  get principals(): number {
    return new Set([...this.secrets.keys(), ...this.tokens.values()]).size;
  }

  /** Whether `secret` is `principal`'s. */
  verify(principal: string, secret: string): boolean {
    const expected = this.secrets.get(principal);
    const same = timingSafeEqual(expected ?? DECOY, digest(secret));
    return expected !== undefined && same;
  }

  /** The principal of a bearer token, if it is one. */
  principalOfToken(token: string): string | undefined {
    return this.tokens.get(digest(token).toString('hex'));
  }

  /** The principal of an `authorization` value (`Basic base64(principal:secret)` or `Bearer <token>`), or why not. */
  authenticate(authorization: string | undefined): Authentication {
    const presented = parseAuthorization(authorization);
    if (presented === undefined) {
      return { ok: false, reason: 'this API needs credentials: send HTTP basic credentials or a bearer token' };
    }
    if (presented.scheme === 'invalid') {
      return { ok: false, reason: `the Authorization header cannot be read: ${presented.problem}` };
    }
    if (presented.scheme === 'bearer') {
      const principal = this.principalOfToken(presented.token);
      return principal === undefined ? { ok: false, reason: 'invalid bearer token' } : { ok: true, principal };
    }
    return this.verify(presented.principal, presented.secret)
      ? { ok: true, principal: presented.principal }
      : { ok: false, reason: 'invalid credentials' };
  }
}
