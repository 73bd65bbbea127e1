// A promise API over the native ZooKeeper client: one session, typed errors,
// one-shot watches and session events.
//
// Session events: `connected` on every (re)connection, `disconnected` when
// the connection is lost while the session may still be alive (the C client
// is reconnecting), `expired` when the server has expired the session (the C
// client learns it only once it reaches a server again), `closed` after
// `close()` or a failed authentication. `expired` and `closed` are final.
import { EventEmitter } from 'node:events';
import { systemClock } from '../clock.js';
import { ZK_RESULT_CODES, ZkError } from './errors.js';
import { loadNative, type NativeClient, type NativeModule, type NativeStat, type NativeWatcher } from './native.js';
import { joinZkPath } from './paths.js';
import type {
  CreateMode,
  ZkConnectOptions,
  ZkSessionEvent,
  ZkStat,
  ZkState,
  ZkWatchEvent,
  ZkWatcher,
} from './types.js';

const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
const LOG_LEVELS = { off: 0, error: 1, warn: 2, info: 3, debug: 4 } as const;
/** "Any version" for set and delete. */
const ANY_VERSION = -1;

function toStat(s: NativeStat): ZkStat {
  return {
    version: s.version,
    cversion: s.cversion,
    numChildren: s.numChildren,
    dataLength: s.dataLength,
    ephemeralOwner: s.ephemeralOwner,
    ctime: s.ctime,
    mtime: s.mtime,
    czxid: s.czxid,
    mzxid: s.mzxid,
    pzxid: s.pzxid,
  };
}

/**
 * One ZooKeeper session.
 *
 * @example
 * ```ts
 * const zk = await ZkClient.connect({ connect: '127.0.0.1:2181', sessionTimeoutMs: 10_000 });
 * await zk.mkdirp('/mesos');
 * const path = await zk.create('/mesos/json.info_', '{}', 'EPHEMERAL_SEQUENTIAL');
 * zk.on('expired', () => console.log('session gone; its ephemeral znodes too'));
 * zk.close();
 * ```
 */
export class ZkClient {
  private readonly events = new EventEmitter();
  private readonly pending = new Set<(err: ZkError) => void>();
  private readonly watches = new Set<object>();
  private current: ZkState = 'connecting';
  /** The addon's reason for the last close (a session state, or 0 for close()). */
  private closeCode = 0;

  private constructor(
    private readonly native: NativeClient,
    private readonly mod: NativeModule,
    /** The ensemble this session talks to. */
    readonly connectString: string,
  ) {}

  /**
   * Opens a session and resolves once connected (and authenticated, when
   * `auth` is given). Rejects with a `ZkError` (`CONNECTIONLOSS`) when no
   * server answers within `connectTimeoutMs`.
   */
  static connect(options: ZkConnectOptions): Promise<ZkClient> {
    const mod = loadNative();
    const clock = options.clock ?? systemClock;
    const sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    const connectTimeoutMs = options.connectTimeoutMs ?? sessionTimeoutMs;
    const client = new ZkClient(mod.create(), mod, options.connect);
    return new Promise<ZkClient>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        client.events.off('closed', onClosed);
        client.events.off('expired', onClosed);
        if (err) {
          client.close();
          reject(err);
        } else resolve(client);
      };
      const onClosed = (): void => {
        const rc =
          client.current === 'expired'
            ? ZK_RESULT_CODES.SESSIONEXPIRED
            : client.closeCode === mod.constants.ZOO_AUTH_FAILED_STATE
              ? ZK_RESULT_CODES.AUTHFAILED
              : ZK_RESULT_CODES.CLOSING;
        settle(ZkError.fromResult(rc, `connect to ${options.connect}`));
      };
      const timer = clock.setTimeout(
        () =>
          settle(
            new ZkError(
              ZK_RESULT_CODES.CONNECTIONLOSS,
              `could not connect to ZooKeeper at ${options.connect} within ${connectTimeoutMs} ms: is it running, and is the address right?`,
            ),
          ),
        connectTimeoutMs,
      );
      client.events.once('connected', () => {
        if (!options.auth) return settle();
        client.addAuth(options.auth.scheme, options.auth.credentials).then(
          () => settle(),
          (err: unknown) => settle(err instanceof Error ? err : new Error(String(err))),
        );
      });
      client.events.once('closed', onClosed);
      client.events.once('expired', onClosed);
      client.start(sessionTimeoutMs, options.logLevel ?? 'off', options.session);
    });
  }

  private start(
    sessionTimeoutMs: number,
    logLevel: keyof typeof LOG_LEVELS,
    session: { id: string; password: string } | undefined,
  ): void {
    this.native.on('connect', () => this.transition('connected'));
    this.native.on('connecting', () => {
      if (this.current === 'connected') this.transition('disconnected');
    });
    this.native.on('close', (_self, code) => {
      this.closeCode = code;
      this.transition(code === this.mod.constants.ZOO_EXPIRED_SESSION_STATE ? 'expired' : 'closed');
    });
    this.native.init({
      connect: this.connectString,
      timeout: sessionTimeoutMs,
      debug_level: LOG_LEVELS[logLevel],
      host_order_deterministic: false,
      // The addon ends a session when one reply needs more than this many partial
      // reads (default 10): a znode near ZooKeeper's 1 MB limit needs more than that.
      response_counter_limit: 1_000_000,
      ...(session ? { client_id: session.id, client_password: session.password } : {}),
    });
  }

  private transition(state: ZkState): void {
    if (this.current === 'expired' || this.current === 'closed') return;
    this.current = state;
    if (state === 'expired' || state === 'closed') {
      const rc = state === 'expired' ? ZK_RESULT_CODES.SESSIONEXPIRED : ZK_RESULT_CODES.CLOSING;
      for (const reject of [...this.pending]) reject(ZkError.fromResult(rc, 'operation'));
      this.pending.clear();
      this.watches.clear();
    }
    this.events.emit(state, state);
  }

  /** Where the session is. */
  get state(): ZkState {
    return this.current;
  }

  /** The session ID (hex), as servers log it. */
  get sessionId(): string {
    return this.native.client_id;
  }

  /** The session's password (hex): with {@link sessionId}, what re-attaches to it. Keep it secret. */
  get sessionPassword(): string {
    return this.native.client_password;
  }

  /** The session timeout the server granted, in ms. */
  get sessionTimeoutMs(): number {
    return this.native.timeout;
  }

  /** Watches set through this client that have not fired yet. */
  get watchCount(): number {
    return this.watches.size;
  }

  /** Listens to a session event. */
  on(event: ZkSessionEvent, fn: (event: ZkSessionEvent) => void): this {
    this.events.on(event, fn);
    return this;
  }

  /** Stops listening. */
  off(event: ZkSessionEvent, fn: (event: ZkSessionEvent) => void): this {
    this.events.off(event, fn);
    return this;
  }

  /**
   * Creates a znode; resolves with its path (with the sequence suffix for a
   * sequential mode). `NONODE` when the parent is missing, `NODEEXISTS` when
   * the path is taken.
   */
  create(path: string, data: Buffer | string = '', mode: CreateMode = 'PERSISTENT'): Promise<string> {
    const c = this.mod.constants;
    const flags = {
      PERSISTENT: c.ZOO_PERSISTENT,
      EPHEMERAL: c.ZOO_EPHEMERAL,
      PERSISTENT_SEQUENTIAL: c.ZOO_PERSISTENT_SEQUENTIAL,
      EPHEMERAL_SEQUENTIAL: c.ZOO_EPHEMERAL_SEQUENTIAL,
    }[mode];
    return this.call<string>('create', path, (done) =>
      this.native.a_create(path, Buffer.from(data), flags, (rc, _e, created) => done(rc, created)),
    );
  }

  /** The znode's stat, or null when it does not exist. A watcher fires on its creation, change or deletion. */
  exists(path: string, watcher?: ZkWatcher): Promise<ZkStat | null> {
    const token = watcher ? {} : undefined;
    return this.call<ZkStat | null>(
      'exists',
      path,
      (done) => {
        const cb = (rc: number, _e: string, stat: NativeStat): void =>
          rc === ZK_RESULT_CODES.NONODE ? done(0, null) : done(rc, rc === 0 ? toStat(stat) : null);
        return watcher && token
          ? this.native.aw_exists(path, this.watcher(token, watcher), cb)
          : this.native.a_exists(path, false, cb);
      },
      // An exists watch on a missing znode stays set (it fires on creation).
      token,
      (rc) => rc === 0 || rc === ZK_RESULT_CODES.NONODE,
    );
  }

  /** The znode's data and stat. A watcher fires on its change or deletion. */
  get(path: string, watcher?: ZkWatcher): Promise<{ data: Buffer; stat: ZkStat }> {
    const token = watcher ? {} : undefined;
    return this.call<{ data: Buffer; stat: ZkStat }>(
      'get',
      path,
      (done) => {
        const cb = (rc: number, _e: string, stat: NativeStat, data: Buffer | null): void =>
          done(rc, rc === 0 ? { data: data ?? Buffer.alloc(0), stat: toStat(stat) } : undefined);
        return watcher && token
          ? this.native.aw_get(path, this.watcher(token, watcher), cb)
          : this.native.a_get(path, false, cb);
      },
      token,
    );
  }

  /** The names (not paths) of the znode's children. A watcher fires when a child is added or removed. */
  getChildren(path: string, watcher?: ZkWatcher): Promise<string[]> {
    const token = watcher ? {} : undefined;
    return this.call<string[]>(
      'getChildren',
      path,
      (done) => {
        const cb = (rc: number, _e: string, children: string[]): void => done(rc, rc === 0 ? [...children] : []);
        return watcher && token
          ? this.native.aw_get_children(path, this.watcher(token, watcher), cb)
          : this.native.a_get_children(path, false, cb);
      },
      token,
    );
  }

  /** Replaces the znode's data; with `version`, only if it is still at that version (else `BADVERSION`). */
  set(path: string, data: Buffer | string, version = ANY_VERSION): Promise<ZkStat> {
    return this.call<ZkStat>('set', path, (done) =>
      this.native.a_set(path, Buffer.from(data), version, (rc, _e, stat) =>
        done(rc, rc === 0 ? toStat(stat) : undefined),
      ),
    );
  }

  /** Deletes the znode; with `version`, only if it is still at that version. */
  delete(path: string, version = ANY_VERSION): Promise<void> {
    return this.call<void>('delete', path, (done) => this.native.a_delete_(path, version, (rc) => done(rc, undefined)));
  }

  /** Creates `path` and its missing ancestors as empty persistent znodes. */
  async mkdirp(path: string): Promise<void> {
    let at = '/';
    for (const segment of path.split('/').filter((s) => s !== '')) {
      at = joinZkPath(at, segment);
      try {
        await this.create(at);
      } catch (err) {
        if (!ZkError.is(err, 'NODEEXISTS')) throw err;
      }
    }
  }

  /**
   * Ends the session: the server deletes its ephemeral znodes at once (when
   * connected). Pending operations fail with `CLOSING`. Idempotent.
   */
  close(): void {
    if (this.current === 'closed' || this.current === 'expired') return;
    this.native.close();
    this.transition('closed'); // in case the addon did not report it (never connected)
  }

  private addAuth(scheme: string, credentials: string): Promise<void> {
    return this.call<void>('addAuth', undefined, (done) =>
      this.native.add_auth(scheme, credentials, (rc) => done(rc, undefined)),
    );
  }

  /** Wraps a one-shot watcher so that it fires once and is counted until then. */
  private watcher(token: object, fn: ZkWatcher): NativeWatcher {
    const c = this.mod.constants;
    const names = new Map<number, ZkWatchEvent['type']>([
      [c.ZOO_CREATED_EVENT, 'created'],
      [c.ZOO_DELETED_EVENT, 'deleted'],
      [c.ZOO_CHANGED_EVENT, 'changed'],
      [c.ZOO_CHILD_EVENT, 'child'],
      [c.ZOO_NOTWATCHING_EVENT, 'notwatching'],
    ]);
    this.watches.add(token);
    return (type, _state, path) => {
      // The C client also tells every watcher about session state changes; those are not the event.
      if (type === c.ZOO_SESSION_EVENT) return;
      if (!this.watches.delete(token)) return;
      fn({ type: names.get(type) ?? 'notwatching', path });
    };
  }

  /**
   * Runs one asynchronous native call. `token` is the watch the call may set:
   * it is forgotten unless `watchSet(rc)` says the server kept it.
   */
  private call<T>(
    op: string,
    path: string | undefined,
    start: (done: (rc: number, value?: T) => void) => number,
    token?: object,
    watchSet: (rc: number) => boolean = (rc) => rc === 0,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.current === 'closed' || this.current === 'expired') {
        if (token) this.watches.delete(token);
        const rc = this.current === 'expired' ? ZK_RESULT_CODES.SESSIONEXPIRED : ZK_RESULT_CODES.CLOSING;
        reject(ZkError.fromResult(rc, op, path));
        return;
      }
      const fail = (err: ZkError): void => {
        this.pending.delete(fail);
        reject(err);
      };
      this.pending.add(fail);
      const rc = start((result, value) => {
        if (!this.pending.delete(fail)) return; // already failed by a session end
        if (token && !watchSet(result)) this.watches.delete(token);
        if (result === 0)
          resolve(value as T); // every call passes its value when rc is 0
        else reject(ZkError.fromResult(result, op, path));
      });
      if (rc < 0 && this.pending.has(fail)) {
        if (token) this.watches.delete(token);
        fail(ZkError.fromResult(rc, op, path));
      }
    });
  }
}
