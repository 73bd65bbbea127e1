// A fetch over node:http(s) that trusts a given CA (and presents a client
// certificate): the global fetch cannot be given a CA without a dispatcher
// package. It does what MasterClient needs: method, headers, a string body,
// redirects followed, an abort signal.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { explainTlsFailure, httpsClientOptions, type TlsMaterial } from '@mesocosm/protocol';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

interface Answer {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
}

function headersOf(message: IncomingMessage): Headers {
  const h = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) h.append(name, v);
  }
  return h;
}

function once(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  tls: TlsMaterial,
  signal: AbortSignal | undefined,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const options = { method, headers, ...(signal ? { signal } : {}) };
    const onAnswer = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 502,
          statusText: res.statusMessage ?? '',
          headers: headersOf(res),
          body: Buffer.concat(chunks),
        }),
      );
    };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, ...httpsClientOptions(tls) }, onAnswer)
        : httpRequest(url, options, onAnswer);
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') {
        reject(signal?.reason instanceof Error ? signal.reason : err);
        return;
      }
      const detail = explainTlsFailure(`${err.code ? `${err.code}: ` : ''}${err.message}`, true, 'master');
      reject(new TypeError('fetch failed', { cause: new Error(detail) }));
    });
    req.end(body);
  });
}

/** A `fetch` that verifies https:// servers against `tls.ca` and presents `tls.cert`. */
export function tlsFetch(tls: TlsMaterial): typeof fetch {
  return async (input, init) => {
    let url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    let method = init?.method ?? 'GET';
    let body = typeof init?.body === 'string' ? init.body : undefined;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const signal = init?.signal ?? undefined;
    let redirected = false;
    for (let hop = 0; ; hop++) {
      const answer = await once(url, method, headers, body, tls, signal);
      const location = answer.headers.get('location');
      if (init?.redirect !== 'manual' && REDIRECTS.has(answer.status) && location && hop < MAX_REDIRECTS) {
        url = new URL(location, url);
        redirected = true;
        if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        continue;
      }
      const empty = answer.status === 204 || answer.status === 304 || method === 'HEAD';
      const res = new Response(empty ? null : answer.body, {
        status: answer.status,
        statusText: answer.statusText,
        headers: answer.headers,
      });
      Object.defineProperty(res, 'url', { value: url.href });
      Object.defineProperty(res, 'redirected', { value: redirected });
      return res;
    }
  };
}
