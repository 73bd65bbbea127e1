// Reading bounded request bodies and writing JSON / text answers. Every
// answer of the API goes through `send`, so headers stay consistent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

/** Request bodies larger than this are refused with 413 (Marathon's own limit is about 1 MB too). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An answer a route handler returns: JSON `body`, or `text` (text/plain), or nothing (204-like). */
export interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/**
 * Reads the whole body, refusing it (413) past `limit` bytes, by its header
 * or as it arrives. A refused body is drained, not stored, so that the client
 * still reads the 413 rather than a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `Request body is larger than ${limit} bytes; send a smaller definition`);
}

/**
 * Parses a JSON body. An empty body and malformed JSON are 400 with a
 * message naming the problem (where the parser stopped).
 */
export function parseJsonBody(raw: Buffer, what: string): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, `Request body is empty; send ${what} as JSON`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new HttpError(400, `Invalid JSON in request body (expected ${what}): ${reason}`);
  }
}

/** Writes `reply` (JSON unless it carries `text`); HEAD answers carry the headers only. */
export function send(res: ServerResponse, reply: Reply, head = false): void {
  const headers: Record<string, string | number> = { 'cache-control': 'no-store', ...reply.headers };
  let payload: string | undefined;
  if (reply.text !== undefined) {
    payload = reply.text;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json';
  }
  headers['content-length'] = payload === undefined ? 0 : Buffer.byteLength(payload);
  res.writeHead(reply.status, headers);
  res.end(head ? undefined : payload);
}
