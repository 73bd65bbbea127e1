// Marathon.start: one Marathon instance. It starts the REST API, stands for
// election (ZooKeeper with `zk`, else it leads alone), and while it leads:
// loads the state, subscribes with the stored framework ID (stored on the
// first SUBSCRIBED, before anything else), reconciles, resumes deployments
// and keeps every app at its count. Deposed, it stops acting at once and
// stands again.

import { randomUUID } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import {
  Scheduler,
  SchedulerDriver,
  createLogger,
  loadTls,
  servesTls,
  systemClock,
  type Clock,
  type Credential,
  type IFrameworkInfo,
  type Logger,
  type PemSource,
  type TlsMaterial,
} from '@mesocosm/framework-sdk';
import { createFrameworkHa, type FrameworkHa } from '@mesocosm/framework-sdk/ha';
import { startMarathonHttp, type ApiAuthOptions, type MarathonHttp } from './api/index.js';
import type { ClusterPort } from './engine/cluster-port.js';
import { EngineService } from './engine/engine-service.js';
import { MarathonEngine } from './engine/engine.js';
import { Capability } from './engine/sdk-types.js';
import type { KillRateOptions } from './planner/kill-rate-limit.js';
import type { MarathonService } from './service/marathon-service.js';
import { MarathonStore } from './state/marathon-store.js';

/** The version `/v2/info` reports. */
export const MARATHON_VERSION = '1.11.0-mesocosm';

/** Options of {@link Marathon.start}. */
export interface MarathonOptions {
  /** The master: `host:port` (gRPC) or `zk://host:2181/mesos`. */
  master: string;
  /** `zk://h1:2181,h2:2181/marathon`: state and leader election there. Absent: this instance leads alone. */
  zk?: string;
  /** Without `zk`: keep state in this directory (absent: in memory). */
  stateDir?: string;
  /** Advertised hostname (FrameworkInfo.hostname, the leader's URL). Default: the host's name. */
  hostname?: string;
  /** HTTP port of the REST API; 0 picks a free one. Default 8080. */
  httpPort?: number;
  /** Address the REST API binds. Default `0.0.0.0`. */
  httpHost?: string;
  /** Start the REST API (default true). Without it, `url` is still advertised for the election. */
  http?: boolean;
  /** FrameworkInfo.name. Default `marathon`. */
  frameworkName?: string;
  /** FrameworkInfo.user (Marathon's `--mesos_user`). Default: `$USER`, else `root`. */
  user?: string;
  /** FrameworkInfo.failover_timeout, seconds. Default 604 800 (one week). */
  failoverTimeoutSeconds?: number;
  /** Filter on declined offers, ms (Marathon's `--decline_offer_duration`). Default 120 000. */
  declineOfferDurationMs?: number;
  /** Explicit + implicit reconciliation period, ms. Default 600 000. */
  reconcileIntervalMs?: number;
  /** At most one REVIVE per this many ms. Default 5 000. */
  minReviveIntervalMs?: number;
  /** The role to register with (Marathon's `--mesos_role`). Default `*`. */
  role?: string;
  /**
   * The principal and secret to authenticate to the master with (Marathon's
   * `--mesos_authentication_principal` and `--mesos_authentication_secret_file`);
   * the principal is also FrameworkInfo.principal. Default: none (see the
   * SDK's MESOCOSM_PRINCIPAL). The secret is never logged nor shown by /v2/info.
   */
  credential?: Credential;
  /** ZooKeeper session timeout, ms. Default 10 000. */
  zkSessionTimeoutMs?: number;
  /** Kill rate of unhealthy tasks. Default: a burst of 10, then 1/s. */
  killRate?: KillRateOptions;
  /** Events kept for Last-Event-ID. Default 1000. */
  eventRetention?: number;
  /** REST API authentication and ACLs (`--http_credentials`, `--http_acls`; see `loadApiAuth`). Absent: open. */
  httpAuth?: ApiAuthOptions;
  /**
   * TLS (`--tls-cert`, `--tls-key`, `--tls-ca`; PEM text or PEM file paths,
   * read once at start). Given any, the link to the master uses TLS: `ca`
   * verifies the master (and the leader, when a follower proxies to it),
   * `cert` + `key` are the client certificate for a master that requires
   * one, and with them the REST API serves HTTPS. Default: plaintext.
   */
  tls?: { cert?: PemSource; key?: PemSource; ca?: PemSource };
  clock?: Clock;
  logger?: Logger;
}

/** A running Marathon instance. */
export class Marathon {
  private term = 0;
  private scheduler: Scheduler | undefined;
  private fid: string | undefined;
  private stopped = false;

  private constructor(
    private readonly options: MarathonOptions,
    /** The engine (state, deployments, events): for the web page and tests. */
    readonly engine: MarathonEngine,
    /** What the REST API is built on. */
    readonly service: EngineService,
    /** The HA kit: leadership, state store, framework ID store. */
    readonly ha: FrameworkHa,
    private readonly http: MarathonHttp | undefined,
    /** This instance's base URL (`http://hostname:port`). */
    readonly url: string,
    private readonly logger: Logger,
    private readonly tls: TlsMaterial | undefined,
  ) {}

  /** Starts the REST API, then stands for election; resolves once queued (leading comes with `elected`). */
  static async start(options: MarathonOptions): Promise<Marathon> {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? createLogger('marathon');
    const hostname = options.hostname ?? osHostname();
    const tls =
      options.tls && (options.tls.ca || options.tls.cert || options.tls.key) ? loadTls(options.tls) : undefined;
    const engine = new MarathonEngine({
      clock,
      logger,
      ...(options.killRate ? { killRate: options.killRate } : {}),
      ...(options.eventRetention !== undefined ? { eventRetention: options.eventRetention } : {}),
    });
    // The service needs the HA kit, which needs the URL, which needs the HTTP server: late binding.
    const ref: { self?: Marathon } = {};
    const service = new EngineService(engine, {
      isLeader: () => ref.self?.ha.leadership.isLeader === true && engine.leading,
      leaderUrl: () => ref.self?.ha.leadership.leader()?.url,
      info: () => ref.self?.info() ?? {},
    });
    let http: MarathonHttp | undefined;
    let port = options.httpPort ?? 8080;
    if (options.http !== false) {
      http = await startMarathonHttp(service, {
        host: options.httpHost ?? '0.0.0.0',
        port,
        logger,
        clock,
        ...(options.httpAuth === undefined ? {} : { auth: options.httpAuth }),
        ...(tls ? { tls } : {}),
      });
      port = http.port;
    }
    const url = `${servesTls(tls) ? 'https' : 'http'}://${hostname}:${port}`;
    const ha = createFrameworkHa({
      info: { id: randomUUID(), hostname, port, url },
      ...(options.zk !== undefined ? { zk: options.zk } : {}),
      ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
      ...(options.zkSessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.zkSessionTimeoutMs } : {}),
      clock,
      logger,
    });
    const marathon = new Marathon({ ...options, hostname }, engine, service, ha, http, url, logger, tls);
    ref.self = marathon;
    ha.leadership.on('elected', (epoch) => void marathon.onElected(epoch));
    ha.leadership.on('deposed', (reason) => marathon.onDeposed(reason));
    await ha.leadership.start();
    return marathon;
  }

  /** True while this instance leads and acts. */
  get isLeader(): boolean {
    return this.ha.leadership.isLeader && this.engine.leading;
  }

  /** The framework ID this instance subscribed with, once known. */
  get frameworkId(): string | undefined {
    return this.fid;
  }

  private async onElected(epoch: number): Promise<void> {
    const term = ++this.term;
    this.logger.info('elected: loading state', { epoch, url: this.url });
    const store = new MarathonStore(this.ha.store);
    try {
      const loaded = await store.load();
      const stored = await this.ha.frameworkId.load();
      if (term !== this.term || this.stopped) return;
      if (loaded.corrupt.length > 0) this.logger.warn('unreadable state records skipped', { keys: loaded.corrupt });
      const driver = new SchedulerDriver({
        master: this.options.master,
        framework: this.frameworkInfo(stored?.value),
        clock: this.engine.clock,
        logger: this.logger,
        ...(this.tls ? { tls: { ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key } } : {}),
        ...(this.options.credential ? { credential: this.options.credential } : {}),
      });
      // Registered before the Scheduler's own handler: the ID is stored before anything else happens.
      driver.on('subscribed', async ({ frameworkId }) => {
        const id = frameworkId?.value;
        if (!id || term !== this.term) return;
        this.fid = id;
        await this.ha.frameworkId.save(id);
      });
      driver.on('error', ({ code, message }) => this.logger.warn('master error', { code, message }));
      const scheduler = new Scheduler(driver, {
        declineRefuseSeconds: (this.options.declineOfferDurationMs ?? 120_000) / 1000,
        reconcileIntervalMs: this.options.reconcileIntervalMs ?? 600_000,
        minReviveIntervalMs: this.options.minReviveIntervalMs ?? 5_000,
        clock: this.engine.clock,
        logger: this.logger,
        pending: () => this.engine.book.pendingGroups(),
        placed: (appId) => this.engine.book.placed(appId),
        known: () => this.engine.book.known(),
        onUpdate: (status) => this.engine.onUpdate(status),
        onLaunched: (tasks) => this.engine.onLaunched(tasks),
      });
      this.scheduler = scheduler;
      this.engine.lead(loaded, store, clusterPort(scheduler, this.logger));
      this.logger.info('leading', {
        apps: loaded.apps.length,
        deployments: loaded.deployments.length,
        instances: loaded.instances.length,
      });
      scheduler.start().catch((err: unknown) => this.logger.warn('subscription ended', { error: String(err) }));
    } catch (err) {
      this.logger.error('could not take over as leader', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private onDeposed(reason: string): void {
    this.term++;
    this.logger.warn('deposed: stopping at once', { reason });
    const scheduler = this.scheduler;
    this.scheduler = undefined;
    this.engine.stopLeading();
    this.service.leadershipLost();
    void scheduler?.stop();
  }

  private frameworkInfo(id: string | undefined): IFrameworkInfo {
    return {
      name: this.options.frameworkName ?? 'marathon',
      user: this.options.user ?? process.env.USER ?? 'root',
      failoverTimeout: this.options.failoverTimeoutSeconds ?? 604_800,
      checkpoint: true,
      roles: [this.options.role ?? '*'],
      hostname: this.options.hostname ?? '',
      webuiUrl: this.url,
      capabilities: [Capability.PARTITION_AWARE, Capability.TASK_KILLING_STATE],
      ...(this.options.credential ? { principal: this.options.credential.principal } : {}),
      ...(id ? { id: { value: id } } : {}),
    };
  }

  /** GET /v2/info. */
  info(): Record<string, unknown> {
    const o = this.options;
    const leader = this.ha.leadership.leader();
    return {
      name: 'marathon',
      version: MARATHON_VERSION,
      buildref: 'mesocosm',
      elected: this.isLeader,
      leader: leader ? `${leader.hostname}:${leader.port}` : null,
      frameworkId: this.fid ?? null,
      marathon_config: {
        master: o.master,
        framework_name: o.frameworkName ?? 'marathon',
        failover_timeout: o.failoverTimeoutSeconds ?? 604_800,
        hostname: o.hostname ?? '',
        mesos_role: o.role ?? '*',
        mesos_user: o.user ?? process.env.USER ?? 'root',
        mesos_authentication_principal: o.credential?.principal ?? null,
        decline_offer_duration: o.declineOfferDurationMs ?? 120_000,
        reconciliation_interval: o.reconcileIntervalMs ?? 600_000,
        checkpoint: true,
        webui_url: this.url,
        features: [],
      },
      zookeeper_config: {
        zk: o.zk === undefined ? null : o.zk.replace(/\/\/[^@/]*@/, '//'),
        zk_session_timeout: o.zkSessionTimeoutMs ?? 10_000,
        zk_max_node_size: 1_000_000,
      },
      http_config: { http_port: this.http?.port ?? o.httpPort ?? 8080 },
      event_subscriber: { type: 'sse_event' },
    };
  }

  /** Stops the API, the scheduler and the election; the framework stays registered (its tasks keep running). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.term++;
    const scheduler = this.scheduler;
    this.scheduler = undefined;
    this.engine.stopLeading();
    this.service.leadershipLost();
    await scheduler?.stop();
    await this.engine.writes.drain();
    await this.http?.close();
    await this.ha.close();
  }
}

function clusterPort(scheduler: Scheduler, logger: Logger): ClusterPort {
  return {
    refresh: () => scheduler.refresh(),
    kill: (taskId, agentId, grace) => {
      try {
        scheduler.driver.kill(taskId, agentId, grace === undefined ? undefined : { gracePeriodSeconds: grace });
      } catch (err) {
        logger.warn('kill not sent', { taskId, error: String(err) });
      }
    },
    offerStats: (appId) => scheduler.offerStats(appId),
  };
}

/** The service type, for callers that only want the seam. */
export type { MarathonService };
