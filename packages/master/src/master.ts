// The Master: a core, a gRPC server and an HTTP server, started together;
// in HA mode also a candidacy in ZooKeeper (standby until elected).
import type { Server as GrpcServer } from '@grpc/grpc-js';
import { newId, type IMasterInfo } from '@mesocosm/protocol';
import { MasterCore } from './core/master-core.js';
import { connectZk, startZkLeadership, type ZkLeadership } from './ha/zk-leadership.js';
import { resolveOptions, type MasterOptions } from './options.js';
import { InMemoryRegistry } from './registry/in-memory-registry.js';
import type { Registry } from './registry/registry.js';
import { ZooKeeperRegistry } from './registry/zk-registry.js';
import { startGrpcServer, stopGrpcServer } from './server/grpc-server.js';
import { startHttpServer, stopHttpServer, type HttpEdge } from './server/http.js';
import { MASTER_VERSION } from './version.js';
import type { MasterState } from './views/state-json.js';

/** The leader epoch of a standalone master (in HA mode: the election sequence). */
export const STANDALONE_EPOCH = 1;

/**
 * A running master: standalone, or in HA mode (`zk`) a contender that
 * serves once elected.
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
    /** `https` when the master serves TLS, else `http`. */
    readonly httpScheme: 'http' | 'https',
    private readonly core: MasterCore,
    private readonly grpc: GrpcServer,
    private readonly http: HttpEdge,
    private readonly ha: ZkLeadership | undefined,
  ) {}

  /**
   * Starts a master; resolves once it listens on both ports (and, in HA
   * mode, once it is queued in the election: it may still be a standby).
   */
  static async start(options: MasterOptions = {}): Promise<Master> {
    const resolved = resolveOptions(options);
    const standby = resolved.zk !== undefined;
    const info: IMasterInfo = {
      id: newId(),
      hostname: resolved.hostname,
      ip: resolved.advertiseIp,
      port: resolved.port,
      grpcPort: resolved.grpcPort,
      version: MASTER_VERSION,
      ...(standby ? {} : { epoch: STANDALONE_EPOCH }),
    };
    // HA mode: the registry is written over the session that holds our election znode.
    const session = resolved.zk === undefined ? undefined : await connectZk(resolved.zk, resolved.zkSessionTimeoutMs);
    const zkRegistry = session && !options.registry ? new ZooKeeperRegistry(session.zk, session.path) : undefined;
    const registry: Registry = options.registry ?? zkRegistry ?? new InMemoryRegistry();
    const core = new MasterCore(resolved, registry, info, standby);
    let grpc: Awaited<ReturnType<typeof startGrpcServer>>;
    let http: Awaited<ReturnType<typeof startHttpServer>>;
    try {
      grpc = await startGrpcServer(core, resolved.ip, resolved.grpcPort, resolved.tls);
    } catch (err) {
      session?.zk.close();
      throw err;
    }
    try {
      http = await startHttpServer(core, resolved.ip, resolved.port, resolved.tls ? { tls: resolved.tls } : {});
    } catch (err) {
      session?.zk.close();
      grpc.server.forceShutdown();
      throw err;
    }
    info.grpcPort = grpc.port;
    info.port = http.port;
    let ha: ZkLeadership | undefined;
    if (session === undefined) {
      core.start();
    } else {
      const onDeposed =
        options.onDeposed ?? ((reason: string) => resolved.logger.error('this master can no longer lead', { reason }));
      try {
        ha = await startZkLeadership(core, info, session.zk, {
          path: session.path,
          logger: resolved.logger,
          onDeposed,
          fence: (reason) => zkRegistry?.fence(reason),
        });
      } catch (err) {
        grpc.server.forceShutdown();
        await stopHttpServer(http);
        throw err;
      }
    }
    resolved.logger.info('master started', {
      id: info.id,
      http: `${info.ip}:${info.port}`,
      grpc: `${info.ip}:${info.grpcPort}`,
      ...(resolved.tls ? { tls: resolved.tls.requireClientCert ? 'on, client certificates required' : 'on' } : {}),
      ...(resolved.zk === undefined ? {} : { zk: resolved.zk, leading: core.leading }),
    });
    return new Master(info, resolved.httpScheme, core, grpc.server, http, ha);
  }

  /** The advertised gRPC address, e.g. `127.0.0.1:5060`. */
  get grpcAddress(): string {
    return `${this.info.ip ?? ''}:${this.info.grpcPort ?? 0}`;
  }

  /** The advertised HTTP base URL, e.g. `http://127.0.0.1:5050` (`https://` with TLS). */
  get httpUrl(): string {
    const ip = this.info.ip ?? '';
    return `${this.httpScheme}://${ip.includes(':') ? `[${ip}]` : ip}:${this.info.port ?? 0}`;
  }

  /** True while this master leads (always in standalone mode). */
  get leading(): boolean {
    return this.core.leading;
  }

  /** The leader epoch stamped on events: the election sequence in HA mode. */
  get epoch(): number {
    return this.core.ctx.epoch;
  }

  /** The same object GET /master/state returns. */
  state(): MasterState {
    return this.core.state();
  }

  /** Stops serving: candidacy withdrawn, every stream closed, both servers shut down. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.ha?.close();
    this.core.stop();
    await Promise.all([stopGrpcServer(this.grpc, 500), stopHttpServer(this.http)]);
  }
}
