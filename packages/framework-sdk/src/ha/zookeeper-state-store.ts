// A StateStore in ZooKeeper: one znode per record, under
// `<path>/state/<collection>/<escaped key>`, holding the value's JSON; the
// record's version is the znode's.
//
// Fencing: with `fence` (the instance's election), every write is issued on
// the election's session and only while it leads on it. ZooKeeper applies
// one session's requests in order, and another instance can lead only after
// this one's election znode is gone: deleted by this instance after it was
// deposed (so after its earlier writes), or removed with its session when
// the server expires it (after which the session can write nothing). So a
// deposed leader's late writes cannot land after a new leader's.
import { ValidationError } from '@mesocosm/protocol';
import { ZkError, joinZkPath, type ZkClient } from '@mesocosm/protocol/zk';
import { HaClosedError, StateConflictError, type RecordRef } from './errors.js';
import type { FrameworkLeaderElection } from './framework-leader-election.js';
import { decodeRecord, encodeRecord } from './record-codec.js';
import { checkCollection, escapeKey, unescapeKey } from './record-names.js';
import type { CreateResult, StateRecord, StateStore } from './state-store.js';
import { ZooKeeperConnection, type ZooKeeperConnectionOptions } from './zookeeper-connection.js';

/** Options of a {@link ZooKeeperStateStore}. */
export interface ZooKeeperStateStoreOptions {
  /** Write only while this election (on the same connection) leads, on its session; else `NotLeaderError`. */
  fence?: FrameworkLeaderElection;
  /** Session options, when the store opens its own connection from a URL. */
  connection?: ZooKeeperConnectionOptions;
}

/**
 * A {@link StateStore} in ZooKeeper, e.g. for `zk://h1:2181/marathon`.
 * Reads work on any instance; with a fence, writes only on the leader.
 * A write failing with a `DISCONNECTED` error may or may not have been
 * applied: read the record again.
 *
 * @example
 * ```ts
 * const zk = new ZooKeeperConnection('zk://127.0.0.1:2181/chronos');
 * const election = new FrameworkLeaderElection(zk, { info });
 * const store = new ZooKeeperStateStore(zk, { fence: election });
 * const run = await store.create('runs', `${job}@${due}`, { runId });
 * ```
 */
export class ZooKeeperStateStore implements StateStore {
  readonly connection: ZooKeeperConnection;
  private readonly ownsConnection: boolean;
  private readonly fence: FrameworkLeaderElection | undefined;
  private closed = false;

  constructor(connection: ZooKeeperConnection | string, options: ZooKeeperStateStoreOptions = {}) {
    this.ownsConnection = typeof connection === 'string';
    this.connection =
      typeof connection === 'string' ? new ZooKeeperConnection(connection, options.connection) : connection;
    this.fence = options.fence;
    if (this.fence && this.fence.connection !== this.connection) {
      throw new ValidationError('fence', 'the fencing election must use the same ZooKeeperConnection as the store');
    }
  }

  /** Where the collections live: `<path>/state`. */
  get rootPath(): string {
    return joinZkPath(this.connection.path, 'state');
  }

  async get(collection: string, key: string): Promise<StateRecord | undefined> {
    const ref = this.ref(collection, key);
    const path = this.pathOf(ref);
    const zk = await this.connection.client();
    try {
      const { data, stat } = await zk.get(path);
      return { ...ref, value: decodeRecord(ref, data.toString('utf8'), path), version: stat.version };
    } catch (err) {
      if (ZkError.is(err, 'NONODE')) return undefined;
      throw err;
    }
  }

  async list(collection: string): Promise<string[]> {
    this.open();
    const zk = await this.connection.client();
    let children: string[];
    try {
      children = await zk.getChildren(joinZkPath(this.rootPath, checkCollection(collection)));
    } catch (err) {
      if (ZkError.is(err, 'NONODE')) return [];
      throw err;
    }
    return children
      .map(unescapeKey)
      .filter((k): k is string => k !== undefined)
      .sort();
  }

  async put(collection: string, key: string, value: unknown, expectedVersion?: number): Promise<number> {
    const ref = this.ref(collection, key);
    const data = encodeRecord(ref, value);
    const path = this.pathOf(ref);
    if (expectedVersion !== undefined) {
      try {
        return (await this.write(ref, (zk) => zk.set(path, data, expectedVersion))).version;
      } catch (err) {
        if (ZkError.is(err, 'NONODE')) throw new StateConflictError(ref, expectedVersion, 'absent');
        if (ZkError.is(err, 'BADVERSION'))
          throw new StateConflictError(ref, expectedVersion, await this.versionOf(path));
        throw err;
      }
    }
    for (;;) {
      try {
        return (await this.write(ref, (zk) => zk.set(path, data))).version;
      } catch (err) {
        if (!ZkError.is(err, 'NONODE')) throw err;
      }
      try {
        await this.createZnode(ref, path, data);
        return 0;
      } catch (err) {
        if (!ZkError.is(err, 'NODEEXISTS')) throw err; // created meanwhile: overwrite it
      }
    }
  }

  async create(collection: string, key: string, value: unknown): Promise<CreateResult> {
    const ref = this.ref(collection, key);
    const data = encodeRecord(ref, value);
    const path = this.pathOf(ref);
    for (;;) {
      try {
        await this.createZnode(ref, path, data);
        return { created: true, version: 0 };
      } catch (err) {
        if (!ZkError.is(err, 'NODEEXISTS')) throw err;
      }
      const existing = await this.get(collection, key);
      if (existing) return { created: false, existing };
      // Deleted between our create and our read: try again.
    }
  }

  async delete(collection: string, key: string, expectedVersion?: number): Promise<boolean> {
    const ref = this.ref(collection, key);
    const path = this.pathOf(ref);
    try {
      await this.write(ref, (zk) => zk.delete(path, expectedVersion));
      return true;
    } catch (err) {
      if (ZkError.is(err, 'NONODE')) {
        if (expectedVersion === undefined) return false;
        throw new StateConflictError(ref, expectedVersion, 'absent');
      }
      if (ZkError.is(err, 'BADVERSION') && expectedVersion !== undefined) {
        throw new StateConflictError(ref, expectedVersion, await this.versionOf(path));
      }
      throw err;
    }
  }

  /** Stops using the connection; closes it when the store opened it from a URL. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.ownsConnection) this.connection.close();
  }

  /** Creates the record's znode, and its collection's when missing. */
  private async createZnode(ref: RecordRef, path: string, data: string): Promise<void> {
    try {
      await this.write(ref, (zk) => zk.create(path, data));
    } catch (err) {
      if (!ZkError.is(err, 'NONODE')) throw err;
      await this.write(ref, (zk) => zk.mkdirp(joinZkPath(this.rootPath, ref.collection)));
      await this.write(ref, (zk) => zk.create(path, data));
    }
  }

  /** Issues one write: fenced, synchronously on the leader's session; else on the current session. */
  private write<T>(ref: RecordRef, op: (zk: ZkClient) => Promise<T>): Promise<T> {
    this.open();
    if (this.fence) {
      try {
        return op(this.fence.writeSession(`cannot write record '${ref.key}' of '${ref.collection}'`));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return this.connection.client().then(op);
  }

  /** The record's version now, for a conflict's message. */
  private async versionOf(path: string): Promise<number | 'absent' | 'unknown'> {
    try {
      const stat = await (await this.connection.client()).exists(path);
      return stat === null ? 'absent' : stat.version;
    } catch {
      return 'unknown';
    }
  }

  private open(): void {
    if (this.closed) throw new HaClosedError('this ZooKeeperStateStore');
  }

  private ref(collection: string, key: string): RecordRef {
    this.open();
    return { collection: checkCollection(collection), key };
  }

  private pathOf(ref: RecordRef): string {
    return joinZkPath(joinZkPath(this.rootPath, ref.collection), escapeKey(ref.key));
  }
}
