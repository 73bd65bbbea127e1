// Test helpers: a server over a fake service, JSON requests, an SSE reader.
import { request, type IncomingHttpHeaders } from 'node:http';
import { startMarathonHttp, type MarathonHttp, type MarathonHttpOptions } from '../../src/api/index.js';
import { FakeMarathonService } from './fake-service.js';

/** Polls `check` until it returns true, failing with `what` after `ms`. */
export async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A server on 127.0.0.1:0 over a fresh fake service. */
export async function startFake(
  options: Partial<MarathonHttpOptions> = {},
): Promise<{ fake: FakeMarathonService; http: MarathonHttp }> {
  const fake = new FakeMarathonService();
  const http = await startMarathonHttp(fake, { host: '127.0.0.1', port: 0, ...options });
  return { fake, http };
}

/** An answer read whole. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Sends one request; `body` objects are sent as JSON, strings as they are. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** One parsed SSE frame. */
export interface Frame {
  id?: string;
  event?: string;
  data?: unknown;
}

/** A live SSE reader over node:http. */
export interface EventReader {
  status: number;
  headers: IncomingHttpHeaders;
  frames: Frame[];
  comments: string[];
  ended: boolean;
  close(): void;
}

/** Opens `path` as an event stream and parses frames as they arrive. */
export function readEvents(base: string, path: string, headers: Record<string, string> = {}): Promise<EventReader> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const reader: EventReader = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames: [],
        comments: [],
        ended: false,
        close: () => req.destroy(),
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const frame: Frame = {};
          let isFrame = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) reader.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) [frame.id, isFrame] = [line.slice(4), true];
            else if (line.startsWith('event: ')) [frame.event, isFrame] = [line.slice(7), true];
            else if (line.startsWith('data: ')) [frame.data, isFrame] = [JSON.parse(line.slice(6)) as unknown, true];
          }
          if (isFrame) reader.frames.push(frame);
        }
      });
      res.on('end', () => (reader.ended = true));
      res.on('close', () => (reader.ended = true));
      resolve(reader);
    });
    req.on('error', reject);
    req.end();
  });
}
