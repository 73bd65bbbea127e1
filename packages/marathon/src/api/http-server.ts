// Marathon's HTTP server: local answers (/ping, /v2/leader, the page), then
// either the /v2 routes (when this instance leads) or a proxy to the leader.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  httpsClientOptions,
  httpsServerOptions,
  servesTls,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type TlsMaterial,
} from '@mesocosm/framework-sdk';
import { NotLeaderError } from '@mesocosm/framework-sdk/ha';
import { NotAuthorizedError } from '../errors.js';
import type { MarathonService } from '../service/marathon-service.js';
import { ApiGuard, type ApiAuthOptions } from './auth/api-guard.js';
import { errorAnswer } from './error-response.js';
import { EventStreams, HEARTBEAT_MS } from './event-stream.js';
import { HttpError } from './http-error.js';
import { MAX_BODY_BYTES, readBody, send } from './http-io.js';
import { serveLocal } from './info-routes.js';
import { hostPort, isProxyLoop, proxyToLeader } from './leader-proxy.js';
import { matchRoute, type Route } from './router.js';
import { APP_ROUTES } from './routes-apps.js';
import { DEPLOYMENT_ROUTES } from './routes-deployments.js';
import { GROUP_ROUTES } from './routes-groups.js';
import { TASK_ROUTES } from './routes-tasks.js';

/** Options of {@link startMarathonHttp}. */
export interface MarathonHttpOptions {
  /** The address to bind (`0.0.0.0`, `127.0.0.1`). */
  host: string;
  /** The port to bind; 0 picks a free one. */
  port: number;
  logger?: Logger;
  /** This instance's URL as others reach it (`X-Marathon-Via`, loop detection); default `http://host:port`. */
  selfUrl?: string;
  /** Drives SSE heartbeats (tests pass a FakeClock). */
  clock?: Clock;
  /** SSE heartbeat period; default 15 s. */
  heartbeatMs?: number;
  /** Largest request body accepted; default 1 MB. */
  maxBodyBytes?: number;
  /** Authentication (HTTP basic, bearer) and per-path ACLs; absent: the API is open. */
  auth?: ApiAuthOptions;
  /**
   * TLS: with a certificate and key the API serves HTTPS (and `url` is
   * `https://`); the CA verifies the leader when proxying to it.
   */
  tls?: TlsMaterial;
}

/** A running Marathon HTTP server. */
export interface MarathonHttp {
  readonly server: Server;
  readonly port: number;
  /** This instance's base URL (`selfUrl`, or `http://host:port` with the bound port). */
  readonly url: string;
  /** Ends every event stream and closes the server and its connections. */
  close(): Promise<void>;
}

const NO_LEADER = 'Could not determine the current leader; no Marathon instance leads yet, retry shortly';

interface Handling {
  service: MarathonService;
  routes: readonly Route[];
  selfUrl: () => string;
  logger: Logger;
  maxBodyBytes: number;
  guard: ApiGuard | undefined;
  tls: TlsMaterial | undefined;
}

function proxyOr503(h: Handling, req: IncomingMessage, res: ServerResponse, body: Buffer, leader?: string): void {
  const self = h.selfUrl();
  if (leader === undefined || hostPort(leader) === hostPort(self)) throw new HttpError(503, NO_LEADER);
  if (isProxyLoop(req, self)) {
    throw new HttpError(502, `Detected a proxying loop: the request already went through ${self}`);
  }
  proxyToLeader(req, res, body, leader, self, h.logger, httpsClientOptions(h.tls));
}

async function handle(h: Handling, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  // With credentials configured, everything but /ping authenticates, on followers too (before proxying).
  const principal = h.guard !== undefined && path !== '/ping' ? h.guard.authenticate(req) : undefined;
  if (serveLocal(h.service, h.selfUrl(), method, path, res)) return;
  const body = await readBody(req, h.maxBodyBytes);
  if (!h.service.isLeader()) {
    proxyOr503(h, req, res, body, h.service.leaderUrl());
    return;
  }
  res.setHeader('x-marathon-leader', h.selfUrl());
  const { route, params } = matchRoute(h.routes, method, path);
  const service =
    h.guard === undefined || principal === undefined ? h.service : h.guard.serviceFor(principal, h.service);
  try {
    const reply = await route.handler({ service, req, res, url, params, body });
    if (reply !== undefined) send(res, reply, method === 'HEAD');
  } catch (err) {
    // Leadership was lost while the request ran: the new leader answers it.
    if (err instanceof NotLeaderError && !res.headersSent) {
      res.removeHeader('x-marathon-leader');
      proxyOr503(h, req, res, body, err.leaderUrl ?? h.service.leaderUrl());
      return;
    }
    throw err;
  }
}

function fail(h: Handling, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const { reply, unexpected } = errorAnswer(err);
  if (err instanceof NotAuthorizedError) {
    const { principal, action, id } = err;
    h.logger.info('refused by the ACLs', { method: req.method, principal, action, id });
  }
  if (unexpected) {
    h.logger.error('request failed', {
      method: req.method,
      url: req.url,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (reply.status === 413) reply.headers = { ...reply.headers, connection: 'close' };
  send(res, reply, req.method === 'HEAD');
}

/**
 * Starts Marathon's REST API (`/v2`), event stream and web page over
 * `service`. A follower proxies every /v2 request to the leader.
 */
export async function startMarathonHttp(service: MarathonService, options: MarathonHttpOptions): Promise<MarathonHttp> {
  const logger = options.logger ?? silentLogger;
  const streams = new EventStreams(service, options.clock ?? systemClock, logger, options.heartbeatMs ?? HEARTBEAT_MS);
  let selfUrl = options.selfUrl ?? '';
  const routes: Route[] = [
    ...APP_ROUTES,
    ...TASK_ROUTES,
    ...GROUP_ROUTES,
    ...DEPLOYMENT_ROUTES,
    { method: 'GET', pattern: /^\/v2\/info$/, handler: () => ({ status: 200, body: service.info() }) },
    { method: 'GET', pattern: /^\/v2\/events$/, handler: (ctx) => streams.serve(ctx) },
  ];
  const guard = options.auth === undefined ? undefined : new ApiGuard(options.auth);
  if (guard !== undefined) logger.info('REST API authentication on', guard.describe());
  const h: Handling = {
    service,
    routes,
    selfUrl: () => selfUrl,
    logger,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    guard,
    tls: options.tls,
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(h, req, res).catch((err: unknown) => fail(h, req, res, err));
  };
  const tls = options.tls;
  const server: Server = servesTls(tls) ? createHttpsServer(httpsServerOptions(tls), handler) : createServer(handler);
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  selfUrl ||= `${servesTls(tls) ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  return {
    server,
    port,
    url: selfUrl,
    close: async () => {
      streams.dispose();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
