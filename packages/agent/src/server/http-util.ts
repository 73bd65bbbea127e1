// Shared bits of the agent's HTTP handlers.
import type { ServerResponse } from 'node:http';

/** An error that maps to an HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Writes a JSON body. CORS is open: the master's UI reads sandboxes from the browser. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'access-control-allow-origin': '*',
  });
  res.end(text);
}
