// The master's HTTP server: the web UI (ui-static.ts), the operator pages
// (operator-routes.ts), state, metrics, health, leader redirect, sandbox
// files through the agents (files-proxy.ts), the operator calls of
// POST /api/v1 (http-api.ts) and POST /master/teardown, and the live feed
// (WebSocket upgrade on /api/v1/feed, feed.ts). Only the two POST endpoints
// read a request body.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { Duplex } from 'node:stream';
import { httpsServerOptions, MesocosmError, type TlsMaterial } from '@mesocosm/protocol';
import type { MasterCore } from '../core/master-core.js';
import { httpStatusOf } from '../errors.js';
import { Feed, FEED_PATH, type FeedOptions } from './feed.js';
import { filesRoute, proxyFiles } from './files-proxy.js';
import { authenticateRequest, authorizeSandboxPath, isOpenPath, WWW_AUTHENTICATE } from './http-auth.js';
import { API_V1_PATH, serveApiCall } from './http-api.js';
import {
  isOperatorPage,
  redirectToLeader,
  serveOperatorPage,
  serveTeardown,
  TEARDOWN_PATH,
} from './operator-routes.js';
import { MasterMetrics } from './prometheus.js';
import { sendState } from './state-response.js';
import { DEFAULT_UI_DIR, isUiPath, serveUi } from './ui-static.js';

/** Requests with a body larger than this are refused. */
export const MAX_HTTP_BODY_BYTES = 64 * 1024;

/** What the HTTP server serves besides the core. @internal */
export interface HttpServerOptions {
  /** The built web UI (default lib/ui next to this module). */
  uiDir?: string;
  feed?: FeedOptions;
  /** Serve HTTPS (and the feed over wss) with this certificate and key. */
  tls?: TlsMaterial & { cert: Buffer; key: Buffer };
}

/** A running HTTP server and its feed. @internal */
export interface HttpEdge {
  readonly server: Server;
  readonly port: number;
  readonly feed: Feed;
}

interface Edge {
  readonly core: MasterCore;
  readonly metrics: MasterMetrics;
  readonly uiDir: string;
}

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

/** Mesos' `system/*` keys of the host. */
function systemMetrics(): Record<string, number> {
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
  return {
    'system/cpus_total': cpus().length,
    'system/load_1min': load1,
    'system/load_5min': load5,
    'system/load_15min': load15,
    'system/mem_total_bytes': totalmem(),
    'system/mem_free_bytes': freemem(),
  };
}

function snapshot(core: MasterCore): Record<string, number> {
  return { ...core.metrics(), ...systemMetrics() };
}

function failed(res: ServerResponse, err: unknown): void {
  if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : String(err) });
  else res.destroy();
}

function route(edge: Edge, req: IncomingMessage, res: ServerResponse): void {
  const { core } = edge;
  const method = req.method ?? 'GET';
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_HTTP_BODY_BYTES) {
    res.setHeader('connection', 'close');
    json(res, 413, { error: `request body over ${MAX_HTTP_BODY_BYTES} bytes` });
    req.destroy();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const reply = (status: number, body: unknown, headers?: Record<string, string | number>): void =>
    json(res, status, body, method === 'HEAD', headers);
  // --authenticate_http: everything but liveness, the leader's address and the UI's static files.
  const who =
    isOpenPath(path) || isUiPath(url.pathname)
      ? ({ ok: true, principal: undefined } as const)
      : authenticateRequest(core, req);
  if (!who.ok) {
    req.resume();
    reply(401, { error: who.error.message, code: who.error.code }, { 'www-authenticate': WWW_AUTHENTICATE });
    return;
  }
  const principal = who.principal;
  if (path === API_V1_PATH || path === TEARDOWN_PATH) {
    if (method === 'POST') {
      if (path === API_V1_PATH)
        serveApiCall(core, req, res, (s, b, h) => json(res, s, b, false, h), MAX_HTTP_BODY_BYTES, principal);
      else serveTeardown(core, url, req, res, reply, MAX_HTTP_BODY_BYTES, principal);
      return;
    }
    req.resume();
    res.setHeader('allow', 'POST');
    const example = path === API_V1_PATH ? 'a JSON call such as {"type":"GET_STATE"}' : 'framework_id=<ID>';
    json(res, 405, { error: `${method} is not allowed on ${path}; POST ${example}` });
    return;
  }
  req.resume();
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    json(res, 405, {
      error: `${method} is not allowed on ${path}; operator calls go to POST ${API_V1_PATH} (or ${TEARDOWN_PATH})`,
    });
    return;
  }
  const head = method === 'HEAD';
  if (isUiPath(url.pathname)) {
    serveUi(edge.uiDir, url.pathname, req, res).catch((err: unknown) => failed(res, err));
    return;
  }
  if (isOperatorPage(path)) {
    serveOperatorPage(core, path, url, res, reply, principal);
    return;
  }
  const files = filesRoute(path);
  if (files) {
    if (redirectToLeader(core, `${url.pathname}${url.search}`, res, reply)) return;
    try {
      authorizeSandboxPath(core, url.search, principal);
    } catch (err) {
      if (!(err instanceof MesocosmError)) throw err;
      reply(httpStatusOf(err.code), { error: err.message, code: err.code });
      return;
    }
    proxyFiles(core.ctx, files, url.search, req, res, reply);
    return;
  }
  switch (path) {
    case '/health':
      json(res, 200, { healthy: true }, head);
      return;
    case '/master/state':
    case '/master/state.json':
    case '/state':
    case '/state.json':
      sendState(res, core.ctx, core.viewer(principal), head); // streamed, without the object tree
      return;
    case '/metrics/snapshot':
      json(res, 200, snapshot(core), head);
      return;
    case '/metrics':
      edge.metrics.text().then(
        (text) => {
          res.writeHead(200, {
            'content-type': edge.metrics.contentType,
            'content-length': Buffer.byteLength(text),
            'cache-control': 'no-store',
          });
          res.end(head ? undefined : text);
        },
        (err: unknown) => failed(res, err),
      );
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

function upgrade(core: MasterCore, feed: Feed, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  if (path === FEED_PATH) {
    const who = authenticateRequest(core, req);
    if (!who.ok) {
      const status = `401 Unauthorized\r\nwww-authenticate: ${WWW_AUTHENTICATE}`;
      socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${who.error.message}\n`);
      return;
    }
    feed.handleUpgrade(req, socket, head, who.principal); // filtered by the view ACLs per connection
    return;
  }
  socket.end(
    `HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nno WebSocket at ${path}; the feed is ${FEED_PATH}\n`,
  );
}

/** Starts the HTTP server on `ip:port` (0 = a free port); resolves with the bound port. @internal */
export async function startHttpServer(
  core: MasterCore,
  ip: string,
  port: number,
  options: HttpServerOptions = {},
): Promise<HttpEdge> {
  const edge: Edge = {
    core,
    metrics: new MasterMetrics(() => snapshot(core)),
    uiDir: options.uiDir ?? DEFAULT_UI_DIR,
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      route(edge, req, res);
    } catch (err) {
      failed(res, err);
    }
  };
  const serverOptions = { maxHeaderSize: 16 * 1024, requestTimeout: 30_000 };
  const server: Server = options.tls
    ? createHttpsServer({ ...serverOptions, ...httpsServerOptions(options.tls) }, handler)
    : createServer(serverOptions, handler);
  server.headersTimeout = 10_000;
  const feed = new Feed(core, options.feed);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    upgrade(core, feed, req, socket, head);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, ip, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    feed.close();
    throw err;
  }
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port, feed };
}

/** Closes the feed, the HTTP server and its idle and open connections. @internal */
export async function stopHttpServer(edge: HttpEdge): Promise<void> {
  edge.feed.close();
  await new Promise<void>((resolve) => {
    edge.server.close(() => resolve());
    edge.server.closeAllConnections();
  });
}
