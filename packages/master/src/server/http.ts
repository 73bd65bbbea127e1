// The master's operator HTTP API: state, metrics, health, leader redirect
// (GET), and the operator calls of POST /api/v1 (http-api.ts). Only that
// endpoint reads a request body; everything else is 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MasterCore } from '../core/master-core.js';
import { API_V1_PATH, serveApiCall } from './http-api.js';

/** Requests with a body larger than this are refused. */
export const MAX_HTTP_BODY_BYTES = 64 * 1024;

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  head = false,
  headers: Record<string, string | number> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(head ? undefined : text);
}

function route(core: MasterCore, req: IncomingMessage, res: ServerResponse): void {
  const method = req.method ?? 'GET';
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_HTTP_BODY_BYTES) {
    res.setHeader('connection', 'close');
    json(res, 413, { error: `request body over ${MAX_HTTP_BODY_BYTES} bytes` });
    req.destroy();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  if (path === API_V1_PATH) {
    if (method === 'POST') {
      serveApiCall(
        core,
        req,
        res,
        (status, body, headers) => json(res, status, body, false, headers),
        MAX_HTTP_BODY_BYTES,
      );
      return;
    }
    req.resume();
    res.setHeader('allow', 'POST');
    json(res, 405, {
      error: `${method} is not allowed on ${API_V1_PATH}; POST a JSON call such as {"type":"GET_STATE"}`,
    });
    return;
  }
  req.resume();
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    json(res, 405, { error: `${method} is not allowed on ${path}; operator calls go to POST ${API_V1_PATH}` });
    return;
  }
  const head = method === 'HEAD';
  switch (path) {
    case '/health':
      json(res, 200, { healthy: true }, head);
      return;
    case '/master/state':
    case '/master/state.json':
    case '/state':
    case '/state.json':
      json(res, 200, core.state(), head);
      return;
    case '/metrics/snapshot':
      json(res, 200, core.metrics(), head);
      return;
    case '/master/redirect': {
      const location = core.leaderHttpUrl();
      if (location === undefined) {
        json(res, 503, { error: 'no master is elected yet; retry shortly' }, head);
        return;
      }
      res.writeHead(307, { location, 'content-length': 0 });
      res.end();
      return;
    }
    default:
      json(res, 404, { error: `no such endpoint: ${path}` }, head);
  }
}

/** Starts the HTTP server on `ip:port` (0 = a free port); resolves with the bound port. @internal */
export async function startHttpServer(
  core: MasterCore,
  ip: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 30_000 }, (req, res) => {
    try {
      route(core, req, res);
    } catch (err) {
      if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    }
  });
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

/** Closes the HTTP server and its idle and open connections. @internal */
export async function stopHttpServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
