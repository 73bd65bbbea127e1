// The shapes the ZooKeeper client works with.
import type { Clock } from '../clock.js';

/** How a znode is created (ZooKeeper's `CreateMode`). */
export type CreateMode = 'PERSISTENT' | 'EPHEMERAL' | 'PERSISTENT_SEQUENTIAL' | 'EPHEMERAL_SEQUENTIAL';

/** Where the session is. `expired` and `closed` are final. */
export type ZkState = 'connecting' | 'connected' | 'disconnected' | 'expired' | 'closed';

/** Session events a {@link ZkClient} emits. */
export type ZkSessionEvent = 'connected' | 'disconnected' | 'expired' | 'closed';

/** What a one-shot watch saw. */
export interface ZkWatchEvent {
  readonly type: 'created' | 'deleted' | 'changed' | 'child' | 'notwatching';
  readonly path: string;
}

/** A one-shot watch: called at most once, for the first change after it was set. */
export type ZkWatcher = (event: ZkWatchEvent) => void;

/** A znode's metadata. */
export interface ZkStat {
  readonly version: number;
  readonly cversion: number;
  readonly numChildren: number;
  readonly dataLength: number;
  /** The owning session's ID (hex) for an ephemeral znode, '0' otherwise. */
  readonly ephemeralOwner: string;
  readonly ctime: number;
  readonly mtime: number;
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
}

/** C client log levels (its lines go to stderr). */
export type ZkLogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Options of {@link ZkClient.connect}. */
export interface ZkConnectOptions {
  /** The ensemble, `host1:port1,host2:port2` (see `parseZkUrl(...).connect`). */
  connect: string;
  /**
   * The session timeout asked of the server (it clamps it to 2..20 ticks).
   * Default 10 000 ms, as Mesos' `--zk_session_timeout`.
   */
  sessionTimeoutMs?: number;
  /** How long `connect` waits for a first connection. Default: the session timeout. */
  connectTimeoutMs?: number;
  /** Credentials (from a `zk://user:pass@...` URL), sent once connected. */
  auth?: { scheme: 'digest'; credentials: string };
  /**
   * Re-attach to a live session (its {@link ZkClient.sessionId} and
   * {@link ZkClient.sessionPassword}) instead of opening a new one, e.g.
   * after a restart. Closing the re-attached client ends the session.
   */
  session?: { id: string; password: string };
  /** For the connect timeout. Default: the system clock. */
  clock?: Clock;
  /** The C client's own logging. Default `off`. */
  logLevel?: ZkLogLevel;
}
