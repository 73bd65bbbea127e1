// What a caller presents: `authorization: Basic base64(principal:secret)` or
// `authorization: Bearer <token>`, in an HTTP header or gRPC call metadata
// (same name, same syntax), and the `WWW-Authenticate` challenge of a 401.

/** Presented credentials, or why the `authorization` value cannot be read. */
export type PresentedCredentials =
  | { readonly scheme: 'basic'; readonly principal: string; readonly secret: string }
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'invalid'; readonly problem: string };

/** Reads an `authorization` value; undefined when there is none. */
export function parseAuthorization(value: string | undefined): PresentedCredentials | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(value);
  if (!m) return { scheme: 'invalid', problem: "it is neither 'Basic <base64>' nor 'Bearer <token>'" };
  const scheme = (m[1] ?? '').toLowerCase();
  const rest = m[2] ?? '';
  if (scheme === 'bearer') return { scheme: 'bearer', token: rest };
  if (scheme !== 'basic') return { scheme: 'invalid', problem: `scheme '${m[1] ?? ''}' is not Basic or Bearer` };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(rest))
    return { scheme: 'invalid', problem: 'the Basic credentials are not base64' };
  const decoded = Buffer.from(rest, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { scheme: 'invalid', problem: "the Basic credentials are not 'principal:secret'" };
  return { scheme: 'basic', principal: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The `authorization` value a client sends for a principal and its secret (HTTP basic). */
export function basicAuthorization(principal: string, secret: string): string {
  return `Basic ${Buffer.from(`${principal}:${secret}`, 'utf8').toString('base64')}`;
}

/** The `WWW-Authenticate` value of a 401 asking for HTTP basic credentials in `realm`. */
export function basicChallenge(realm: string): string {
  return `Basic realm="${realm.replace(/["\\\r\n]/g, '')}"`;
}
