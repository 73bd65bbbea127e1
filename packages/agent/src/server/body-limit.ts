// The agent's HTTP API is read-only and never reads a request body, but a
// client may still send one: a body over the limit (declared or as it
// streams in) is answered 413 and the connection closed, and nothing of it
// is kept. Up to MAX_DRAIN_BYTES are read and dropped so that the client sees
// the 413 rather than a reset; past that the connection is cut.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-util.js';

/** Largest request body the agent's HTTP API takes (it uses none: /files/* and /state are GETs). */
export const MAX_HTTP_BODY_BYTES = 64 * 1024;

const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

function refuse(res: ServerResponse, limit: number): void {
  if (res.headersSent) return;
  res.setHeader('connection', 'close');
  sendJson(res, 413, { error: `request body over ${limit} bytes: this API is read-only and takes no body` });
}

/**
 * Calls `next` once the request's body (if any) is known to be within
 * `limit`; answers 413 instead when it is not. The body itself is dropped.
 */
export function withBoundedBody(req: IncomingMessage, res: ServerResponse, limit: number, next: () => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (declared > limit) {
    refuse(res, limit);
    req.resume();
    return;
  }
  if (!chunked) {
    next();
    return;
  }
  let bytes = 0;
  let decided = false;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_DRAIN_BYTES) req.destroy();
    else if (bytes > limit && !decided) {
      decided = true;
      refuse(res, limit);
    }
  });
  req.on('end', () => {
    if (decided) return;
    decided = true;
    next();
  });
}
