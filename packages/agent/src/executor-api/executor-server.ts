// The agent's executor API: a gRPC server serving `Executor.Subscribe` on
// `--grpc_port`, bound to the agent's ip. Custom executors connect back here,
// over TLS when the agent has a certificate, with their token when executors
// are authenticated (executor-api-security.ts).
import { Server, type ServerDuplexStream } from '@grpc/grpc-js';
import {
  ExecutorService,
  grpcServerCredentials,
  type ExecutorCall,
  type IExecutorEvent,
  type Logger,
} from '@mesocosm/protocol';
import { OPEN_EXECUTOR_API, type ExecutorApiSecurity } from './executor-api-security.js';
import type { ExecutorRegistry } from './executor-registry.js';
import { serveExecutorStream } from './executor-stream.js';

/** Largest executor call accepted (an UPDATE with a sizeable `data`). */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The running executor API. @internal */
export interface ExecutorApiServer {
  /** The bound port. */
  readonly port: number;
  /** Stops serving: graceful for a moment, then forced. */
  close(): Promise<void>;
}

/** Starts the executor API on `ip:port` (0 = a free port), protected by `security`. @internal */
export async function startExecutorApi(
  ip: string,
  port: number,
  registry: ExecutorRegistry,
  logger: Logger,
  security: ExecutorApiSecurity = OPEN_EXECUTOR_API,
): Promise<ExecutorApiServer> {
  const server = new Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  server.addService(ExecutorService, {
    subscribe: (call: ServerDuplexStream<ExecutorCall, IExecutorEvent>) =>
      serveExecutorStream(call, registry, logger, security.authenticator),
  });
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpcServerCredentials(security.tls), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

/** The address executors are told to connect to: the bound ip, loopback for a wildcard. Pure. */
export function executorEndpoint(ip: string, port: number): string {
  if (ip === '0.0.0.0' || ip === '') return `127.0.0.1:${port}`;
  if (ip === '::') return `[::1]:${port}`;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
