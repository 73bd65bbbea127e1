// A small JSON GET for tests of HTTP endpoints. https:// URLs are fetched
// with node:https, trusting the system's CAs and the throwaway CAs of the
// TLS clusters running in this process (see trustTestCa).
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { MesocosmError } from '@mesocosm/protocol';

const testCas = new Map<string, number>();

/**
 * Trusts `ca` (PEM) for https:// URLs given to {@link fetchJson} in this
 * process, until the returned function is called. LocalCluster does it for
 * its throwaway CA. @internal
 */
export function trustTestCa(ca: string): () => void {
  testCas.set(ca, (testCas.get(ca) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const n = (testCas.get(ca) ?? 1) - 1;
    if (n <= 0) testCas.delete(ca);
    else testCas.set(ca, n);
  };
}

const testAuthorizations = new Map<string, string>();

/**
 * Sends `authorization` with the requests {@link fetchJson} makes to
 * `origin` (e.g. `http://127.0.0.1:5050`), unless a request sets its own,
 * until the returned function is called. LocalCluster does it for a master
 * with `authenticateHttp` (its `operatorCredential`). @internal
 */
export function authorizeTestOrigin(origin: string, authorization: string): () => void {
  const key = new URL(origin).origin;
  testAuthorizations.set(key, authorization);
  return () => {
    if (testAuthorizations.get(key) === authorization) testAuthorizations.delete(key);
  };
}

/** `init` with the origin's test authorization added, when it has one and `init` sets none. */
function withTestAuthorization(url: string, init: RequestInit | undefined): RequestInit | undefined {
  const authorization = testAuthorizations.get(new URL(url).origin);
  if (authorization === undefined) return init;
  const headers = new Headers(init?.headers);
  if (headers.has('authorization')) return init;
  headers.set('authorization', authorization);
  return { ...init, headers };
}

function headerRecord(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((v, k) => (out[k] = v));
  return out;
}

/** GET (or `init.method`) over node:https with the test CAs; answers like fetch's status and text. */
function httpsText(url: string, init: RequestInit | undefined): Promise<{ status: number; ok: boolean; text: string }> {
  return new Promise((resolve, reject) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const req = request(
      url,
      {
        method: init?.method ?? 'GET',
        headers: headerRecord(init),
        ca: [...rootCertificates, ...testCas.keys()],
        ...(init?.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', (err) => reject(new TypeError(`fetch failed: ${err.message}`, { cause: err })));
    req.end(body);
  });
}

/**
 * GETs `url` and parses the body as JSON.
 * @throws MesocosmError when the status is not 2xx (the message holds the status and the body's start).
 */
export async function fetchJson<T = unknown>(url: string, given?: RequestInit): Promise<T> {
  const init = withTestAuthorization(url, given);
  let status: number;
  let ok: boolean;
  let body: string;
  if (url.startsWith('https:')) {
    ({ status, ok, text: body } = await httpsText(url, init));
  } else {
    const res = await fetch(url, init);
    [status, ok, body] = [res.status, res.ok, await res.text()];
  }
  if (!ok) {
    throw new MesocosmError('INTERNAL', `GET ${url} answered ${status}: ${body.slice(0, 200)}`, {
      details: { status, url },
    });
  }
  try {
    return JSON.parse(body) as T;
  } catch (err) {
    throw new MesocosmError('INTERNAL', `GET ${url} did not answer JSON: ${body.slice(0, 200)}`, { cause: err });
  }
}
