// The agent's read-only HTTP API (node:http): /state, /files/*, /health.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@mesocosm/protocol';
import { PathForbiddenError } from '../errors.js';
import { browse, download, read } from './files-api.js';
import { HttpError, sendJson } from './http-util.js';

/** What the HTTP server serves from. */
export interface AgentHttpOptions {
  /** The sandboxes root: no file outside it is served. */
  sandboxes: string;
  state: () => Record<string, unknown>;
  logger: Logger;
}

type Handler = (query: URLSearchParams, res: ServerResponse) => Promise<void> | void;

/** A started HTTP server. */
export interface AgentHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` (0 = a free port). */
export async function startHttpServer(host: string, port: number, options: AgentHttpOptions): Promise<AgentHttpServer> {
  const routes: Record<string, Handler> = {
    '/health': (_q, res) => sendJson(res, 200, { healthy: true }),
    '/state': (_q, res) => sendJson(res, 200, options.state()),
    '/files/browse': (q, res) => browse(options.sandboxes, q, res),
    '/files/read': (q, res) => read(options.sandboxes, q, res),
    '/files/download': (q, res) => download(options.sandboxes, q, res),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const route = routes[url.pathname.replace(/\.json$/, '')];
    if (!route) return sendJson(res, 404, { error: `no such endpoint '${url.pathname}'` });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendJson(res, 405, { error: `${req.method ?? ''} is not allowed: this API is read-only` });
    }
    Promise.resolve(route(url.searchParams, res)).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : err instanceof PathForbiddenError ? 403 : 500;
      if (status === 500) options.logger.error('HTTP handler failed', { path: url.pathname, error: String(err) });
      if (res.headersSent) res.destroy();
      else sendJson(res, status, { error: err instanceof Error ? err.message : String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
