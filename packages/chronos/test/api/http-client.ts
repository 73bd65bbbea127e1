// Small HTTP helpers for the tests: real requests to 127.0.0.1, redirects
// not followed unless asked, and a raw request for bodies fetch cannot send.
import { request } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json<T = unknown>(): T;
}

/** One request; `redirect: 'manual'` by default, so 307s are visible. */
export async function call(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string>; redirect?: 'manual' | 'follow' } = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: init.redirect ?? 'manual',
    ...(init.body === undefined ? {} : { body: init.body }),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

/** Streams `chunks` as a chunked body (no content-length) and reads the answer. */
export function chunkedPost(url: string, chunks: readonly Buffer[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
