// One ZooKeeper session at a time for a framework's HA, shared by its
// election and its state store: opened on first use, and replaced by a new
// one (with backoff while ZooKeeper is unreachable) when the server expires
// it, so that a framework instance comes back by itself after a partition.
import { EventEmitter } from 'node:events';
import { silentLogger, systemClock, type Clock, type Logger, type TimerHandle } from '@mesocosm/protocol';
import { ZkClient, parseZkUrl, type ZkUrl } from '@mesocosm/protocol/zk';
import { backoffDelay } from '../backoff.js';
import { HaClosedError } from './errors.js';

/** Options of a {@link ZooKeeperConnection}. */
export interface ZooKeeperConnectionOptions {
  /** Default 10 000 ms, as Mesos' and Marathon's `--zk_session_timeout`. */
  sessionTimeoutMs?: number;
  /** How long a first connection may take before `client()` rejects (default: the session timeout). */
  connectTimeoutMs?: number;
  /** First delay between attempts to open a replacement session (default 200 ms, doubling, capped at 30 s). */
  retryBaseMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/**
 * A framework's ZooKeeper session, e.g. for `zk://h1:2181,h2:2181/marathon`.
 *
 * @example
 * ```ts
 * const zk = new ZooKeeperConnection('zk://127.0.0.1:2181/marathon');
 * const election = new FrameworkLeaderElection(zk, { info });
 * const store = new ZooKeeperStateStore(zk, { fence: election });
 * // ...
 * zk.close();
 * ```
 */
export class ZooKeeperConnection {
  /** The parsed URL; its `path` is the framework's root znode (e.g. `/marathon`). */
  readonly url: ZkUrl;
  private readonly events = new EventEmitter();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private session: Promise<ZkClient> | undefined;
  private live: ZkClient | undefined;
  private retryTimer: TimerHandle | undefined;
  private attempt = 0;
  private closed = false;

  constructor(
    url: string,
    private readonly options: ZooKeeperConnectionOptions = {},
  ) {
    this.url = parseZkUrl(url);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** The framework's root znode, e.g. `/marathon`. */
  get path(): string {
    return this.url.path;
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The current session, when one is open (it may be disconnected). @internal */
  get current(): ZkClient | undefined {
    return this.live;
  }

  /**
   * The current session, opening one when there is none. Rejects when
   * ZooKeeper cannot be reached within the connect timeout (call again to
   * retry), and with `HaClosedError` once closed. @internal
   */
  client(): Promise<ZkClient> {
    if (this.closed) return Promise.reject(new HaClosedError('this ZooKeeperConnection'));
    this.session ??= this.open();
    return this.session;
  }

  /** Calls `fn` with every new session opened after an expiry or a loss (not the first one). @internal */
  onRenewed(fn: (zk: ZkClient) => void): () => void {
    this.events.on('renewed', fn);
    return () => this.events.off('renewed', fn);
  }

  /** Ends the session (its ephemeral znodes go at once) and stops renewing it. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    this.live?.close();
    this.live = undefined;
    void this.session?.then(
      (zk) => zk.close(),
      () => {},
    );
    this.session = undefined;
  }

  private open(): Promise<ZkClient> {
    const opening = ZkClient.connect({
      connect: this.url.connect,
      ...(this.url.auth ? { auth: this.url.auth } : {}),
      ...(this.options.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: this.options.sessionTimeoutMs } : {}),
      ...(this.options.connectTimeoutMs !== undefined ? { connectTimeoutMs: this.options.connectTimeoutMs } : {}),
      clock: this.clock,
    });
    opening.then(
      (zk) => {
        if (this.closed) return zk.close();
        this.live = zk;
        this.attempt = 0;
        zk.on('expired', () => this.expired(zk));
        // Closed by anything but close() (the addon gives up on a connection, auth fails): the same as expiry.
        zk.on('closed', () => this.expired(zk));
      },
      () => {
        if (this.session === opening) this.session = undefined; // the next client() tries again
      },
    );
    return opening;
  }

  private expired(zk: ZkClient): void {
    if (this.closed || this.live !== zk) return;
    this.logger.warn(`ZooKeeper session ${zk.state}; opening a new one`, {
      zk: this.url.connect,
      session: zk.sessionId,
    });
    this.live = undefined;
    this.session = undefined;
    this.renew();
  }

  /** Opens a replacement session, retrying with backoff until it works or the connection is closed. */
  private renew(): void {
    if (this.closed) return;
    this.client().then(
      (zk) => {
        this.logger.info('new ZooKeeper session', { zk: this.url.connect, session: zk.sessionId });
        this.events.emit('renewed', zk);
      },
      (err: unknown) => {
        if (this.closed) return;
        const delay = backoffDelay(this.options.retryBaseMs ?? 200, this.attempt++);
        this.logger.warn('cannot open a new ZooKeeper session; retrying', { error: String(err), inMs: delay });
        this.retryTimer = this.clock.setTimeout(() => this.renew(), delay);
      },
    );
  }
}
