// One Chronos instance: stands for election (ZooKeeper, or alone), and while
// it leads, restores the engine from the state store, subscribes to the
// master with the stored framework ID (failing over the previous leader's
// subscription), reconciles the runs recorded as launching or running, then
// schedules. Deposed, it stops at once; the SDK's election stands again.
import { randomUUID } from 'node:crypto';
import { hostname as osHostname, userInfo } from 'node:os';
import {
  Scheduler,
  SchedulerDriver,
  SubscribeRefusedError,
  createLogger,
  loadTls,
  servesTls,
  systemClock,
  type Clock,
  type Credential,
  type Logger,
  type PemSource,
  type TlsMaterial,
  type SchedulerPolicy,
  type WantedTask,
} from '@mesocosm/framework-sdk';
import { createFrameworkHa, type FrameworkHa } from '@mesocosm/framework-sdk/ha';
import { startChronosHttp, type ApiAuthOptions, type ChronosHttp } from './api/index.js';
import { EngineService, type LeadershipView } from './engine/engine-service.js';
import { ChronosEngine } from './engine/engine.js';
import { schedulerPort, type TaskPort } from './engine/task-port.js';
import type { JobDefaults } from './model/job-definition.js';
import type { RetryPolicy } from './schedule/retry.js';
import type { ChronosService } from './service/chronos-service.js';
import { ChronosStore } from './state/chronos-store.js';

/** Options of {@link Chronos.start}. */
export interface ChronosOptions {
  /** The master: its gRPC `host:port`, or `zk://h1:2181,h2:2181/mesos`. */
  master: string;
  /** `zk://h1:2181/chronos`: elect among instances and keep state there. Absent: this instance leads alone. */
  zk?: string;
  /** Without `zk`: keep state in this directory (absent: in memory, lost on exit). */
  stateDir?: string;
  /** How other instances and the UI reach this one (default: the host's name). */
  hostname?: string;
  /** The port of this instance's HTTP API (default 4400), published in its election znode. */
  httpPort?: number;
  /** Address the REST API binds (default 0.0.0.0). */
  httpHost?: string;
  /** Serve the REST API (default true; tests of the engine alone may turn it off). */
  http?: boolean;
  /** Default 'chronos'. */
  frameworkName?: string;
  /** How long the master keeps the framework's tasks without a leader (default one week). */
  failoverTimeoutSeconds?: number;
  /** The role the framework subscribes with (default '*'). */
  role?: string;
  /** The user tasks run as unless a job sets `runAsUser` (default: this process's user). */
  user?: string;
  /**
   * The principal and secret to authenticate to the master with (Chronos'
   * `--mesos_authentication_principal` and `--mesos_authentication_secret_file`);
   * the principal is also FrameworkInfo.principal. Default: none. Never logged.
   */
  credential?: Credential;
  /** Everything time-driven (schedules, retries, timers) reads this clock. Default: the system clock. */
  clock?: Clock;
  logger?: Logger;
  /** Runs kept per job in the history (default 100). */
  historySize?: number;
  /** Backoff between attempts (default 60 s doubling, at most 15 min). */
  retryPolicy?: RetryPolicy;
  /** Operator defaults of jobs (cpus, mem, disk, epsilon, retries, catchUp). */
  jobDefaults?: Partial<JobDefaults>;
  /** The SDK Scheduler's offer policy (decline filter, REVIVE rate). */
  schedulerPolicy?: SchedulerPolicy;
  /** ZooKeeper session timeout, ms (default 10 000). */
  zkSessionTimeoutMs?: number;
  /** REST API authentication and ACLs (`--http_credentials`, `--http_acls`; see `loadApiAuth`). Absent: open. */
  httpAuth?: ApiAuthOptions;
  /**
   * TLS (`--tls-cert`, `--tls-key`, `--tls-ca`; PEM text or PEM file paths,
   * read once at start). Given any, the link to the master uses TLS: `ca`
   * verifies the master, `cert` + `key` are the client certificate for a
   * master that requires one, and with them the REST API serves HTTPS.
   * Default: plaintext.
   */
  tls?: { cert?: PemSource; key?: PemSource; ca?: PemSource };
}

/** What runs while this instance leads. */
interface Term {
  readonly engine: ChronosEngine;
  readonly scheduler: Scheduler;
}

/** One week, Chronos' and Marathon's usual failover timeout. */
export const DEFAULT_FAILOVER_TIMEOUT_SECONDS = 7 * 24 * 3600;
const RELEAD_DELAY_MS = 1_000;
/**
 * Chronos' runs are due at a time, and each due run after an idle spell
 * needs a REVIVE (the SDK suppresses when nothing is pending). A REVIVE may
 * go out every 100 ms: at 1 s, 10,000 runs due at 100/s started 594 ms late
 * at p50 (1,035 ms p99); at 100 ms, 64 ms (157 ms p99) for the same CPU per
 * run. Our allocator coalesces REVIVEs into the next cycle, so this is cheap
 * for the master (Mesos' advice to revive sparingly is about its full-cycle
 * allocator). Operators can change it with `schedulerPolicy`.
 */
const CHRONOS_MIN_REVIVE_INTERVAL_MS = 100;

/**
 * A Chronos instance.
 *
 * @example
 * ```ts
 * const chronos = await Chronos.start({ master: 'zk://zk1:2181/mesos', zk: 'zk://zk1:2181/chronos', httpPort: 4400 });
 * await chronos.service.putScheduledJob({ name: 'hello', command: 'echo hi', schedule: 'R/2026-12-01T00:00:00Z/PT1H' });
 * ```
 */
export class Chronos {
  /** The REST API's view of this instance. */
  readonly service: ChronosService;
  /** This instance's HTTP base URL. */
  readonly url: string;
  private readonly engineService: EngineService;
  private readonly ha: FrameworkHa;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private term: Term | undefined;
  /** Grows with every election and deposition: a stale `lead()` gives up. */
  private generation = 0;
  private stopped = false;

  private constructor(
    private readonly options: ChronosOptions,
    engineService: EngineService,
    private readonly http: ChronosHttp | undefined,
    port: number,
    private readonly tls: TlsMaterial | undefined,
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger('chronos');
    const hostname = options.hostname ?? osHostname();
    this.url = `${servesTls(tls) ? 'https' : 'http'}://${hostname}:${port}`;
    this.ha = createFrameworkHa({
      info: { id: randomUUID(), hostname, port, url: this.url },
      ...(options.zk === undefined ? {} : { zk: options.zk }),
      ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
      ...(options.zkSessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.zkSessionTimeoutMs }),
      clock: this.clock,
      logger: this.logger,
    });
    this.engineService = engineService;
    this.service = engineService;
  }

  /** Starts an instance: its REST API first (unless `http: false`), then it stands for election. */
  static async start(options: ChronosOptions): Promise<Chronos> {
    const tls =
      options.tls && (options.tls.ca || options.tls.cert || options.tls.key) ? loadTls(options.tls) : undefined;
    // The service needs the HA kit, which needs the URL, which needs the bound HTTP port: late binding.
    const ref: { self?: Chronos } = {};
    const view: LeadershipView = {
      get isLeader() {
        return ref.self?.ha.leadership.isLeader === true;
      },
      leader: () => ref.self?.ha.leadership.leader(),
    };
    const service = new EngineService(view, () => ref.self?.term?.scheduler.driver.frameworkId);
    let port = options.httpPort ?? 4400;
    let http: ChronosHttp | undefined;
    if (options.http !== false) {
      const logger = options.logger ?? createLogger('chronos');
      http = await startChronosHttp(service, {
        host: options.httpHost ?? '0.0.0.0',
        port,
        logger,
        ...(tls ? { tls } : {}),
        ...(options.httpAuth === undefined ? {} : { auth: options.httpAuth }),
      });
      port = http.port;
    }
    const chronos = new Chronos(options, service, http, port, tls);
    ref.self = chronos;
    chronos.ha.leadership.on('elected', (epoch) => void chronos.lead(epoch));
    chronos.ha.leadership.on('deposed', (reason) => chronos.standDown(reason));
    try {
      await chronos.ha.leadership.start();
    } catch (err) {
      await http?.close();
      throw err;
    }
    return chronos;
  }

  /** True while this instance leads and its engine runs. */
  get isLeader(): boolean {
    return this.ha.leadership.isLeader && this.term !== undefined;
  }

  /** The engine while leading (for tests and tools). @internal */
  get engine(): ChronosEngine | undefined {
    return this.term?.engine;
  }

  /**
   * Stops this instance: scheduling stops, the subscription is closed (no
   * teardown: the framework and its tasks stay for the failover timeout),
   * and it leaves the election.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.standDown('stopped');
    await this.ha.close();
    await this.http?.close();
  }

  private async lead(epoch: number): Promise<void> {
    const generation = ++this.generation;
    const current = (): boolean => generation === this.generation && !this.stopped;
    try {
      this.logger.info('elected: loading state', { epoch });
      // The engine is restored before the Scheduler exists (the Scheduler reconciles what the engine knows).
      const box: { port?: TaskPort; scheduler?: Scheduler } = {};
      const port: TaskPort = {
        want: (runId: string, task: WantedTask) => box.port?.want(runId, task),
        unwant: (runId: string) => box.port?.unwant(runId),
        kill: (taskId: string, agentId?: string) => box.port?.kill(taskId, agentId),
      };
      const engine = await ChronosEngine.restore({
        store: new ChronosStore(this.ha.store),
        port,
        clock: this.clock,
        logger: this.logger,
        ...(this.options.historySize === undefined ? {} : { historySize: this.options.historySize }),
        ...(this.options.retryPolicy === undefined ? {} : { retryPolicy: this.options.retryPolicy }),
        ...(this.options.jobDefaults === undefined ? {} : { jobDefaults: this.options.jobDefaults }),
        frameworkId: () => box.scheduler?.driver.frameworkId,
      });
      const stored = await this.ha.frameworkId.load();
      if (!current()) return engine.stop();
      const scheduler = this.newScheduler(engine, stored?.value);
      box.scheduler = scheduler;
      box.port = schedulerPort(scheduler);
      this.term = { engine, scheduler };
      this.engineService.attach(engine);
      const { frameworkId } = await scheduler.start();
      if (!current()) return;
      if (frameworkId !== stored?.value) await this.ha.frameworkId.save(frameworkId);
      this.logger.info('leading', { frameworkId, epoch });
      engine.start();
    } catch (err) {
      if (!current()) return;
      this.logger.error('could not take the lead; trying again', { error: String(err) });
      this.standDown('failed to lead');
      if (err instanceof SubscribeRefusedError) await this.ha.frameworkId.clear().catch(() => undefined);
      this.clock.setTimeout(() => {
        if (this.ha.leadership.isLeader && !this.stopped && this.term === undefined) void this.lead(epoch);
      }, RELEAD_DELAY_MS);
    }
  }

  private newScheduler(engine: ChronosEngine, frameworkId: string | undefined): Scheduler {
    const o = this.options;
    const driver = new SchedulerDriver({
      master: o.master,
      framework: {
        name: o.frameworkName ?? 'chronos',
        user: o.user ?? userInfo().username,
        failoverTimeout: o.failoverTimeoutSeconds ?? DEFAULT_FAILOVER_TIMEOUT_SECONDS,
        roles: [o.role ?? '*'],
        hostname: o.hostname ?? osHostname(),
        webuiUrl: this.url,
        checkpoint: true,
        ...(o.credential ? { principal: o.credential.principal } : {}),
        ...(frameworkId === undefined ? {} : { id: { value: frameworkId } }),
      },
      clock: this.clock,
      logger: this.logger,
      ...(this.tls ? { tls: { ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key } } : {}),
      ...(o.credential ? { credential: o.credential } : {}),
    });
    return new Scheduler(driver, {
      minReviveIntervalMs: CHRONOS_MIN_REVIVE_INTERVAL_MS,
      ...o.schedulerPolicy,
      clock: this.clock,
      logger: this.logger,
      known: () => engine.knownTasks(),
      onUpdate: (status) => engine.onUpdate(status),
      onLaunched: (tasks) => engine.onLaunched(tasks),
    });
  }

  private standDown(reason: string): void {
    this.generation++;
    const term = this.term;
    this.term = undefined;
    this.engineService.attach(undefined);
    if (term === undefined) return;
    this.logger.warn('no longer leading: scheduling stopped', { reason });
    term.engine.stop();
    void term.scheduler.stop().catch(() => undefined);
  }
}
