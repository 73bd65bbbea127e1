// The agent's read-only HTTP API (node:http): /state, /files/*, /health.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { httpsServerOptions, type Logger, type TlsMaterial } from '@mesocosm/protocol';
import { PathForbiddenError } from '../errors.js';
import { MAX_HTTP_BODY_BYTES, withBoundedBody } from './body-limit.js';
import { browse, download, read } from './files-api.js';
import { HttpError, sendJson } from './http-util.js';

/** What the HTTP server serves from. */
export interface AgentHttpOptions {
  /** The sandboxes root: no file outside it is served. */
  sandboxes: string;
  state: () => Record<string, unknown>;
  logger: Logger;
  /** Serve HTTPS with this certificate and key. */
  tls?: TlsMaterial & { cert: Buffer; key: Buffer };
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
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
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
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void =>
    withBoundedBody(req, res, MAX_HTTP_BODY_BYTES, () => serve(req, res));
  const server: Server = options.tls
    ? createHttpsServer(httpsServerOptions(options.tls), handler)
    : createServer(handler);
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
