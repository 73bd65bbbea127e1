// Master detection through ZooKeeper, in the Mesos layout: the leader is the
// `json.info_` child of the election path with the lowest sequence, and its
// data is the MasterInfo JSON, from which we take `ip:grpc_port`.
//
// One session, one children watch at a time: every change of the election
// path's children re-reads the leader. The last known leader is kept while
// disconnected (the session, and so the watch, may survive); a new session
// is opened when the old one expires.
import { silentLogger, systemClock, type Clock, type Logger, type TimerHandle } from '@mesocosm/protocol';
import {
  ZkClient,
  ZkError,
  decodeMasterInfoJson,
  grpcAddressOf,
  joinZkPath,
  leaderOf,
  parseZkUrl,
  type ZkUrl,
} from '@mesocosm/protocol/zk';
import type { MasterDetector } from '../detector.js';
import { DetectorClosedError } from './errors.js';

/** The ZooKeeper client's default session timeout (as in @mesocosm/protocol/zk). */
const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/** Options of a {@link ZooKeeperMasterDetector}. */
export interface ZooKeeperDetectorOptions {
  /** Default 10 000 ms, as Mesos' `--zk_session_timeout`. */
  sessionTimeoutMs?: number;
  /** How long a (re)connection may take before detect() fails (default: the session timeout). */
  connectTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

interface Waiter {
  previous: string | undefined;
  resolve(address: string): void;
  reject(err: Error): void;
}

/**
 * Follows the leading master through ZooKeeper.
 *
 * @example
 * ```ts
 * const detector = new ZooKeeperMasterDetector('zk://127.0.0.1:2181/mesos');
 * const leader = await detector.detect();          // '10.0.0.5:5060'
 * const next = await detector.detect(leader);      // resolves after a failover
 * detector.close();
 * ```
 */
export class ZooKeeperMasterDetector implements MasterDetector {
  /** The parsed URL. */
  readonly url: ZkUrl;
  private session: Promise<ZkClient> | undefined;
  private generation = 0;
  private leader: string | undefined;
  private readonly waiters = new Set<Waiter>();
  private closed = false;
  private readonly logger: Logger;

  constructor(
    url: string | ZkUrl,
    private readonly options: ZooKeeperDetectorOptions = {},
  ) {
    this.url = typeof url === 'string' ? parseZkUrl(url) : url;
    this.logger = options.logger ?? silentLogger;
  }

  /** The last leader seen (`host:grpcPort`), if any. */
  get current(): string | undefined {
    return this.leader;
  }

  /**
   * The leader's gRPC address; with `previous`, waits until the leader is
   * another one (as Mesos' detector does). Waits while there is no leader.
   * Rejects when ZooKeeper cannot be reached or the leader's znode cannot
   * be read (call again to retry), and with `DetectorClosedError` on close.
   */
  detect(previous?: string): Promise<string> {
    if (this.closed) return Promise.reject(new DetectorClosedError());
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = { previous, resolve, reject };
      if (this.leader !== undefined && this.leader !== previous) return resolve(this.leader);
      this.waiters.add(waiter);
      if (!this.session) this.openSession();
    });
  }

  /** Closes the session; pending detect() calls reject with `DetectorClosedError`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    const session = this.session;
    this.session = undefined;
    void session?.then(
      (zk) => zk.close(),
      () => {},
    );
    this.failWaiters(new DetectorClosedError());
  }

  private openSession(): void {
    const gen = ++this.generation;
    const session = ZkClient.connect({
      connect: this.url.connect,
      ...(this.url.auth ? { auth: this.url.auth } : {}),
      ...(this.options.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: this.options.sessionTimeoutMs } : {}),
      ...(this.options.connectTimeoutMs !== undefined ? { connectTimeoutMs: this.options.connectTimeoutMs } : {}),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    });
    this.session = session;
    session.then(
      (zk) => {
        if (gen !== this.generation) return zk.close();
        zk.on('expired', () => {
          if (gen !== this.generation) return;
          this.logger.warn('ZooKeeper session expired; opening a new one', { zk: this.url.connect });
          this.leader = undefined; // unknown until the new session has read it
          this.openSession();
        });
        // Watchdog: a client that cannot get back to the ensemble within two session
        // timeouts (seen after a whole ensemble restarted: it never reconnected) is
        // replaced by a new session; the old one is expired by then anyway.
        let stuck: TimerHandle | undefined;
        const clock = this.options.clock ?? systemClock;
        const limitMs = 2 * (this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS);
        zk.on('disconnected', () => {
          if (gen !== this.generation || stuck) return;
          stuck = clock.setTimeout(() => {
            stuck = undefined;
            if (gen !== this.generation || this.closed) return;
            this.logger.warn('no ZooKeeper connection for two session timeouts; opening a new session', {
              zk: this.url.connect,
              afterMs: limitMs,
            });
            zk.close();
            this.openSession();
          }, limitMs);
        });
        zk.on('connected', () => {
          if (stuck) clock.clearTimeout(stuck);
          stuck = undefined;
          if (gen === this.generation) void this.refresh(zk, gen);
        });
        void this.refresh(zk, gen);
      },
      (err: unknown) => {
        if (gen !== this.generation) return;
        this.session = undefined; // the next detect() tries again
        this.failWaiters(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  /** Reads the leader and sets the next children watch. */
  private async refresh(zk: ZkClient, gen: number): Promise<void> {
    const path = this.url.path;
    try {
      let children: string[];
      try {
        children = await zk.getChildren(path, () => {
          if (gen === this.generation) void this.refresh(zk, gen);
        });
      } catch (err) {
        if (!ZkError.is(err, 'NONODE')) throw err;
        // No election path yet: wait for it to appear.
        const stat = await zk.exists(path, () => {
          if (gen === this.generation) void this.refresh(zk, gen);
        });
        if (stat !== null) return this.refresh(zk, gen);
        children = [];
      }
      if (gen !== this.generation) return;
      const leaderName = leaderOf(children);
      if (leaderName === undefined) return this.update(undefined);
      let data: Buffer;
      try {
        data = (await zk.get(joinZkPath(path, leaderName))).data;
      } catch (err) {
        if (ZkError.is(err, 'NONODE')) return; // the children watch fires for its deletion
        throw err;
      }
      if (gen !== this.generation) return;
      this.update(grpcAddressOf(decodeMasterInfoJson(data)));
    } catch (err) {
      if (gen !== this.generation) return;
      // Connection loss: the 'connected' handler reads again; expiry: a new session does.
      if (ZkError.is(err, 'CONNECTIONLOSS') || ZkError.is(err, 'SESSIONEXPIRED')) return;
      const error = err instanceof Error ? err : new Error(String(err));
      this.logger.warn('cannot read the leading master from ZooKeeper', { error: error.message });
      this.failWaiters(error);
    }
  }

  private update(leader: string | undefined): void {
    if (leader !== this.leader) this.logger.info('leading master', { leader: leader ?? '(none)', zk: this.url.path });
    this.leader = leader;
    if (leader === undefined) return;
    for (const w of [...this.waiters]) {
      if (w.previous === leader) continue;
      this.waiters.delete(w);
      w.resolve(leader);
    }
  }

  private failWaiters(err: Error): void {
    for (const w of [...this.waiters]) w.reject(err);
    this.waiters.clear();
  }
}
