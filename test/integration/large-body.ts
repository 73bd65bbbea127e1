// Streams a large request body to a server without holding it: one 64 KiB
// buffer written again and again, with backpressure, until the body is sent,
// the server answers, or the connection ends. What a test of body limits
// needs to know: the status (if any answer came) and how the connection ended.
import { request } from 'node:http';

/** How a large upload ended. */
export interface UploadOutcome {
  /** The status of the answer, when one arrived. */
  readonly status: number | undefined;
  /** The answer's body (the first 4 KiB). */
  readonly body: string;
  /** Bytes written before the server answered or the connection ended. */
  readonly sent: number;
  /** The socket error after the answer (e.g. EPIPE or ECONNRESET once the server closed), if any. */
  readonly error: string | undefined;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/**
 * POSTs `total` bytes to `url`, declared with content-length or sent chunked.
 * Resolves once an answer has been read (or the connection failed).
 */
export function uploadLargeBody(
  url: string,
  total: number,
  options: { chunked?: boolean; contentType?: string; method?: string } = {},
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    let sent = 0;
    let status: number | undefined;
    let body = '';
    let error: string | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, body, sent, error });
    };
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
    if (!options.chunked) headers['content-length'] = String(total);
    const req = request(url, { method: options.method ?? 'POST', headers });
    req.on('response', (res) => {
      status = res.statusCode;
      res.on('data', (d: Buffer) => {
        if (body.length < 4096) body += d.toString('utf8');
      });
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    req.on('error', (err) => {
      error = err.message;
      // An answer may still be on its way: give it a moment before giving up.
      if (status === undefined) setTimeout(finish, 200);
      else finish();
    });
    const write = (): void => {
      while (sent < total && status === undefined && !req.destroyed) {
        const n = Math.min(CHUNK.length, total - sent);
        sent += n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
          req.once('drain', write);
          return;
        }
      }
      if (sent >= total && !req.destroyed) req.end();
    };
    write();
  });
}
