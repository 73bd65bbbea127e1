// A small JSON GET for tests of HTTP endpoints.
import { MesocosmError } from '@mesocosm/protocol';

/**
 * GETs `url` and parses the body as JSON.
 * @throws MesocosmError when the status is not 2xx (the message holds the status and the body's start).
 */
export async function fetchJson<T = unknown>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = await res.text();
  if (!res.ok) {
    throw new MesocosmError('INTERNAL', `GET ${url} answered ${res.status}: ${body.slice(0, 200)}`, {
      details: { status: res.status, url },
    });
  }
  try {
    return JSON.parse(body) as T;
  } catch (err) {
    throw new MesocosmError('INTERNAL', `GET ${url} did not answer JSON: ${body.slice(0, 200)}`, { cause: err });
  }
}
