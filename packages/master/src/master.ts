// The Master: a core, a gRPC server and an HTTP server, started together.
import type { Server as HttpServer } from 'node:http';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import { newId, type IMasterInfo } from '@mesocosm/protocol';
import { MasterCore } from './core/master-core.js';
import { resolveOptions, type MasterOptions } from './options.js';
import { InMemoryRegistry } from './registry/in-memory-registry.js';
import { startGrpcServer, stopGrpcServer } from './server/grpc-server.js';
import { startHttpServer, stopHttpServer } from './server/http.js';
import { MASTER_VERSION } from './version.js';
import type { MasterState } from './views/state-json.js';

/** The leader epoch of a standalone master (the HA work sets the election sequence). */
export const STANDALONE_EPOCH = 1;

/**
 * A running master (standalone mode).
 *
 * @example
 * ```ts
 * const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0 });
 * console.log(master.grpcAddress, master.httpUrl);
 * await master.stop();
 * ```
 */
export class Master {
  private stopped = false;

  private constructor(
    /** id, hostname, ip, port (HTTP), grpcPort, version, epoch. */
    readonly info: IMasterInfo,
    private readonly core: MasterCore,
    private readonly grpc: GrpcServer,
    private readonly http: HttpServer,
  ) {}

  /** Starts a master; resolves once it listens on both ports. */
  static async start(options: MasterOptions = {}): Promise<Master> {
    const resolved = resolveOptions(options);
    const info: IMasterInfo = {
      id: newId(),
      hostname: resolved.hostname,
      ip: resolved.advertiseIp,
      port: resolved.port,
      grpcPort: resolved.grpcPort,
      version: MASTER_VERSION,
      epoch: STANDALONE_EPOCH,
    };
    const core = new MasterCore(resolved, options.registry ?? new InMemoryRegistry(), info);
    const grpc = await startGrpcServer(core, resolved.ip, resolved.grpcPort);
    let http: Awaited<ReturnType<typeof startHttpServer>>;
    try {
      http = await startHttpServer(core, info, resolved.ip, resolved.port);
    } catch (err) {
      grpc.server.forceShutdown();
      throw err;
    }
    info.grpcPort = grpc.port;
    info.port = http.port;
    core.start();
    resolved.logger.info('master started', {
      id: info.id,
      http: `${info.ip}:${info.port}`,
      grpc: `${info.ip}:${info.grpcPort}`,
    });
    return new Master(info, core, grpc.server, http.server);
  }

  /** The advertised gRPC address, e.g. `127.0.0.1:5060`. */
  get grpcAddress(): string {
    return `${this.info.ip ?? ''}:${this.info.grpcPort ?? 0}`;
  }

  /** The advertised HTTP base URL, e.g. `http://127.0.0.1:5050`. */
  get httpUrl(): string {
    return `http://${this.info.ip ?? ''}:${this.info.port ?? 0}`;
  }

  /** The same object GET /master/state returns. */
  state(): MasterState {
    return this.core.state();
  }

  /** Stops serving: every stream closed, both servers shut down. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.core.stop();
    await Promise.all([stopGrpcServer(this.grpc, 500), stopHttpServer(this.http)]);
  }
}
