// One call that gives a framework its leadership and its state store, with
// ZooKeeper (`--zk zk://.../marathon`) or without (`mesocosm local`).
import type { Clock, Logger } from '@mesocosm/protocol';
import { FileStateStore } from './file-state-store.js';
import { FrameworkIdStore } from './framework-id-store.js';
import { FrameworkLeaderElection } from './framework-leader-election.js';
import type { LeaderInfo } from './leader-info.js';
import type { FrameworkLeadership } from './leadership.js';
import { LocalLeadership } from './local-leadership.js';
import { MemoryStateStore } from './memory-state-store.js';
import type { StateStore } from './state-store.js';
import { ZooKeeperConnection } from './zookeeper-connection.js';
import { ZooKeeperStateStore } from './zookeeper-state-store.js';

/** Options of {@link createFrameworkHa}. */
export interface FrameworkHaOptions {
  /** This instance, as other instances (and redirected clients) see it. */
  info: LeaderInfo;
  /** `zk://h1:2181,h2:2181/marathon`: elect among instances and keep state there. Absent: local mode. */
  zk?: string;
  /** Local mode: keep state in this directory (absent: in memory, lost on exit). Ignored with `zk`. */
  stateDir?: string;
  /** ZooKeeper session timeout, default 10 000 ms (Marathon's `--zk_session_timeout`). */
  sessionTimeoutMs?: number;
  /** How long the first ZooKeeper connection may take (default: the session timeout). */
  connectTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** A framework instance's HA kit: see {@link createFrameworkHa}. */
export interface FrameworkHa {
  /** Elected through ZooKeeper, or always the leader locally. Call `start()` after adding listeners. */
  readonly leadership: FrameworkLeadership;
  /** The state store; with ZooKeeper, writes are fenced by the leadership (`NotLeaderError` on a standby). */
  readonly store: StateStore;
  /** The framework ID in the store. */
  readonly frameworkId: FrameworkIdStore;
  /** Withdraws from the election and releases the store and the ZooKeeper session. */
  close(): Promise<void>;
}

/**
 * Leadership and state for one framework instance. Nothing connects until
 * `leadership.start()` (or a first store call).
 *
 * @example
 * ```ts
 * const ha = createFrameworkHa({ zk: flags.zk, stateDir: flags.stateDir, info });
 * ha.leadership.on('elected', () => void startScheduling(ha.store));
 * ha.leadership.on('deposed', () => stopScheduling());
 * await ha.leadership.start();
 * ```
 */
export function createFrameworkHa(options: FrameworkHaOptions): FrameworkHa {
  if (options.zk === undefined) {
    const leadership = new LocalLeadership(options.info);
    const store: StateStore =
      options.stateDir === undefined ? new MemoryStateStore() : new FileStateStore(options.stateDir);
    return kit(leadership, store, () => {});
  }
  const connection = new ZooKeeperConnection(options.zk, {
    ...(options.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const election = new FrameworkLeaderElection(connection, {
    info: options.info,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const store = new ZooKeeperStateStore(connection, { fence: election });
  return kit(election, store, () => connection.close());
}

function kit(leadership: FrameworkLeadership, store: StateStore, release: () => void): FrameworkHa {
  return {
    leadership,
    store,
    frameworkId: new FrameworkIdStore(store),
    async close() {
      await leadership.withdraw();
      await store.close();
      release();
    },
  };
}
