/**
 * Chronos' REST API (`/v1/scheduler`, also under `/scheduler`) and its web
 * page at `/`, served over a {@link ChronosService}.
 *
 * @example
 * ```ts
 * import { startChronosHttp } from './api/index.js';
 *
 * const http = await startChronosHttp(service, { host: '0.0.0.0', port: 4400, logger });
 * // curl -X POST -H 'content-type: application/json' -d @job.json http://host:4400/v1/scheduler/iso8601
 * await http.close();
 * ```
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { httpsServerOptions, servesTls, silentLogger, type Logger, type TlsMaterial } from '@mesocosm/framework-sdk';
import type { ChronosService } from '../service/chronos-service.js';
import { ApiGuard, type ApiAuthOptions } from './auth/api-guard.js';
import { handleRequest } from './handle-request.js';

export { MAX_BODY_BYTES } from './http-io.js';
export { ApiGuard, DEFAULT_REALM, loadApiAuth, type ApiAuthOptions, type ApiAuthSources } from './auth/api-guard.js';
export { AuthorizedChronosService } from './auth/authorized-service.js';
export { API_PREFIXES } from './route-table.js';

/** Options of {@link startChronosHttp}. */
export interface ChronosHttpOptions {
  /** Address to bind (e.g. 127.0.0.1 or 0.0.0.0). */
  host: string;
  /** Port to bind; 0 picks a free one (see the result's `port`). */
  port: number;
  logger?: Logger;
  /** Authentication (HTTP basic, bearer) and per-job ACLs; absent: the API is open. */
  auth?: ApiAuthOptions;
  /** With a certificate and key, serve HTTPS (`url` is then `https://`). */
  tls?: TlsMaterial;
}

/** A running Chronos HTTP server. */
export interface ChronosHttp {
  readonly server: Server;
  /** The bound port. */
  readonly port: number;
  /** `http://<host>:<port>` (`https://` with TLS). */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

function urlFor(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts the API and page on `host:port`. A follower redirects API calls to
 * the leader (307, same path and query) or answers 503 while none is known.
 *
 * @throws the listen error (e.g. EADDRINUSE) when the port cannot be bound.
 */
export async function startChronosHttp(service: ChronosService, options: ChronosHttpOptions): Promise<ChronosHttp> {
  const logger = options.logger ?? silentLogger;
  const guard = options.auth === undefined ? undefined : new ApiGuard(options.auth);
  if (guard !== undefined) logger.info('REST API authentication on', guard.describe());
  const scope = { service, logger, selfUrl: '', ...(guard === undefined ? {} : { guard }) };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void handleRequest(scope, req, res);
  };
  const serverOptions = { maxHeaderSize: 16 * 1024, requestTimeout: 60_000 };
  const tls = options.tls;
  const server: Server = servesTls(tls)
    ? createHttpsServer({ ...serverOptions, ...httpsServerOptions(tls) }, handler)
    : createServer(serverOptions, handler);
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
  const url = urlFor(servesTls(tls) ? 'https' : 'http', options.host, port);
  scope.selfUrl = url;
  logger.info('chronos HTTP API listening', { url });
  return {
    server,
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
