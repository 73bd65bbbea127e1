// The HTTP edge of the API: bounded body reading and the few reply shapes
// (JSON, text, empty, redirect). Handlers return a Reply; only this file
// writes to the socket.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request bodies larger than this are refused with 413 (Chronos jobs are a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

// An oversized body is answered 413 as soon as it passes the limit, and still
// read (and dropped) up to this many bytes, so that the client sees the 413
// rather than a reset; beyond it the connection is cut.
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

/** What a handler answers; `send` writes it. */
export interface Reply {
  readonly status: number;
  /** Serialised as JSON (application/json). */
  readonly json?: unknown;
  /** Sent as is, with `contentType` (default text/plain). */
  readonly text?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The outcome of reading a request body. */
export type BodyRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly bytes: number };

/**
 * Reads the whole body as UTF-8, or reports `{ok: false}` once it passes
 * `limit` bytes (at once; the rest is read and dropped while the 413 goes out).
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let bytes = 0;
    let over = declared > limit;
    if (declared > MAX_DRAIN_BYTES) {
      resolve({ ok: false, bytes: declared });
      return;
    }
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit && !over) {
        // Answer the 413 now (a client streaming a large body reads it while it sends); drop the rest.
        over = true;
        chunks.length = 0;
        resolve({ ok: false, bytes });
      }
      if (!over) chunks.push(chunk);
      else if (bytes > MAX_DRAIN_BYTES) req.destroy();
    });
    req.on('end', () =>
      resolve(over ? { ok: false, bytes } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }),
    );
    req.on('error', reject);
  });
}

/** Reads and discards a body the route does not use, so keep-alive connections stay usable. */
export function drain(req: IncomingMessage): void {
  req.resume();
}

/** Writes `reply`; a HEAD request gets the headers only. */
export function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  let payload: string | undefined;
  let contentType = reply.contentType;
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    contentType ??= 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    payload = reply.text;
    contentType ??= 'text/plain; charset=utf-8';
  }
  const headers: Record<string, string | number> = {
    'cache-control': 'no-store',
    'content-length': payload === undefined ? 0 : Buffer.byteLength(payload),
    ...reply.headers,
  };
  if (contentType !== undefined) headers['content-type'] = contentType;
  res.writeHead(reply.status, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

/** A JSON `{message}` reply, the shape of every error answer. */
export function message(status: number, text: string, headers?: Record<string, string>): Reply {
  return { status, json: { message: text }, ...(headers === undefined ? {} : { headers }) };
}
