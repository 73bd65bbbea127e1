// The registry in ZooKeeper, one znode per record under the election path:
//   <path>/registry/agents/<agentId>        admitted agents (AgentInfo)
//   <path>/registry/frameworks/<frameworkId> framework infos
//   <path>/registry/maintenance/<agentId>   deactivated / draining / drained agents
//   <path>/registry/gone/<agentId>          agents removed for good
// Writes go over the leader's own session (the one that owns its
// json.info_ znode): once that session has expired, ZooKeeper refuses them.
// Reads are pipelined (READ_BATCH getData calls in flight at once); the
// registry remembers what each znode holds (read or written by this leader),
// so that writing the same record again (an agent re-registering unchanged
// after a failover, a framework re-subscribing) costs no round trip.
import { ValidationError, type IAgentInfo, type IFrameworkInfo } from '@mesocosm/protocol';
import { joinZkPath, ZK_RESULT_CODES, ZkError, type ZkClient } from '@mesocosm/protocol/zk';
import { RegistryFencedError } from '../errors.js';
import {
  decodeAgent,
  decodeFramework,
  decodeGone,
  decodeMaintenance,
  encodeAgent,
  encodeFramework,
  encodeGone,
  encodeMaintenance,
} from './records.js';
import type { AdmittedAgent, GoneAgent, MaintenanceRecord, Registry } from './registry.js';

/**
 * getData calls in flight at once while reading a folder. ZooKeeper answers
 * a session's requests in order: enough to pipeline the reads, few enough
 * that a write issued meanwhile (an agent re-registering while a new leader
 * reads thousands of records) waits behind one batch, not the whole folder.
 */
export const READ_BATCH = 128;

/** The record kinds, each a folder under `<path>/registry`. */
export const REGISTRY_FOLDERS = ['agents', 'frameworks', 'maintenance', 'gone'] as const;
type Folder = (typeof REGISTRY_FOLDERS)[number];

function checkName(kind: string, id: string): string {
  if (id === '' || id === '.' || id === '..' || id.includes('/')) {
    throw new ValidationError(`${kind} id`, `'${id}' cannot name a znode (empty, '.', '..' or containing '/')`);
  }
  return id;
}

/**
 * A {@link Registry} in ZooKeeper. Writes resolve once ZooKeeper has them;
 * after {@link fence} (or when the session is not connected) they reject
 * with a NOT_LEADER error, and once the session expired ZooKeeper itself
 * rejects them (SESSIONEXPIRED): a deposed leader cannot write.
 *
 * @example
 * ```ts
 * const registry = new ZooKeeperRegistry(leaderSession, '/mesos');
 * await registry.admitAgent({ id: { value: 'a1' }, hostname: 'h1' });
 * ```
 */
export class ZooKeeperRegistry implements Registry {
  /** `<path>/registry`. */
  readonly root: string;
  private fencedBecause: string | undefined;
  private folders: Promise<void> | undefined;
  /** What each znode holds, as far as this registry knows: a write of the same text is skipped. */
  private readonly known = new Map<string, string>();
  /** The last write or delete issued on each znode, until it is answered: only its reply may update `known`. */
  private readonly lastOp = new Map<string, number>();
  /** Writes and deletes issued so far (their sequence numbers). */
  private ops = 0;

  constructor(
    private readonly zk: ZkClient,
    /** The election path of `--zk` (e.g. `/mesos`). */
    path: string,
  ) {
    this.root = joinZkPath(path, 'registry');
  }

  /** Refuses every later write (this master was deposed). */
  fence(reason: string): void {
    this.fencedBecause ??= reason;
    this.known.clear();
  }

  /** Records known to hold what was last read or written (a diagnostic for tests). @internal */
  get knownCount(): number {
    return this.known.size;
  }

  /** The znode of a record. */
  znodeOf(folder: Folder, id: string): string {
    return joinZkPath(joinZkPath(this.root, folder), checkName(folder, id));
  }

  async admitAgent(info: IAgentInfo, principal?: string): Promise<void> {
    await this.put(this.znodeOf('agents', info.id?.value ?? ''), encodeAgent(info, principal));
  }

  async removeAgent(agentId: string): Promise<void> {
    await this.remove(this.znodeOf('agents', agentId));
    await this.remove(this.znodeOf('maintenance', agentId));
  }

  async markAgentGone(gone: GoneAgent): Promise<void> {
    // Gone first: if the master dies in between, the next leader sees both and gone wins.
    await this.put(this.znodeOf('gone', gone.agentId), encodeGone(gone));
    await this.removeAgent(gone.agentId);
  }

  async putFramework(info: IFrameworkInfo): Promise<void> {
    await this.put(this.znodeOf('frameworks', info.id?.value ?? ''), encodeFramework(info));
  }

  async removeFramework(frameworkId: string): Promise<void> {
    await this.remove(this.znodeOf('frameworks', frameworkId));
  }

  async putDrain(record: MaintenanceRecord): Promise<void> {
    await this.put(this.znodeOf('maintenance', record.agentId), encodeMaintenance(record));
  }

  async removeDrain(agentId: string): Promise<void> {
    await this.remove(this.znodeOf('maintenance', agentId));
  }

  async agentIds(): Promise<string[]> {
    return (await this.names('agents')).sort();
  }

  agents(): Promise<AdmittedAgent[]> {
    return this.readAll('agents', decodeAgent);
  }

  agent(agentId: string): Promise<AdmittedAgent | undefined> {
    return this.readOne(this.znodeOf('agents', agentId), agentId, decodeAgent);
  }

  frameworks(): Promise<IFrameworkInfo[]> {
    return this.readAll('frameworks', decodeFramework);
  }

  drains(): Promise<MaintenanceRecord[]> {
    return this.readAll('maintenance', decodeMaintenance);
  }

  goneAgents(): Promise<GoneAgent[]> {
    return this.readAll('gone', decodeGone);
  }

  private checkWritable(op: string, znode: string): void {
    if (this.fencedBecause !== undefined) throw new RegistryFencedError(op, this.fencedBecause);
    // Not while cut off: the C client would queue the write and send it on reconnection,
    // possibly after a new leader read the registry.
    const state = this.zk.state;
    if (state === 'disconnected' || state === 'connecting') {
      throw new RegistryFencedError(op, `the ZooKeeper session is ${state}`);
    }
    // What the client itself answers on an ended session, also for a write skipped as unchanged.
    if (state === 'expired' || state === 'closed') {
      const rc = state === 'expired' ? ZK_RESULT_CODES.SESSIONEXPIRED : ZK_RESULT_CODES.CLOSING;
      throw ZkError.fromResult(rc, op, znode);
    }
  }

  /** A write or delete of `znode` is issued: what it held is unknown until the reply. */
  private issue(znode: string): number {
    this.known.delete(znode);
    this.lastOp.set(znode, ++this.ops);
    return this.ops;
  }

  /** The reply of operation `op` on `znode`: it holds `data` (undefined: deleted), unless a later operation was issued. */
  private settle(znode: string, op: number, data: string | undefined): void {
    if (this.lastOp.get(znode) !== op) return;
    this.lastOp.delete(znode);
    if (data !== undefined && this.fencedBecause === undefined) this.known.set(znode, data);
  }

  private ensureFolders(): Promise<void> {
    this.folders ??= (async () => {
      for (const folder of REGISTRY_FOLDERS) await this.zk.mkdirp(joinZkPath(this.root, folder));
    })().catch((err: unknown) => {
      this.folders = undefined;
      throw err;
    });
    return this.folders;
  }

  /** Creates or replaces one znode's data; nothing to do when it is known to hold `data` already. */
  private async put(znode: string, data: string): Promise<void> {
    const what = `write of ${znode}`;
    this.checkWritable(what, znode);
    if (this.known.get(znode) === data) return;
    const op = this.issue(znode);
    await this.ensureFolders();
    this.checkWritable(what, znode); // fenced meanwhile: nothing may reach ZooKeeper after our withdrawal
    try {
      await this.zk.set(znode, data);
      this.settle(znode, op, data);
      return;
    } catch (err) {
      if (!ZkError.is(err, 'NONODE')) throw err;
    }
    try {
      await this.zk.create(znode, data);
    } catch (err) {
      if (!ZkError.is(err, 'NODEEXISTS')) throw err;
      await this.zk.set(znode, data);
    }
    this.settle(znode, op, data);
  }

  private async remove(znode: string): Promise<void> {
    this.checkWritable(`delete of ${znode}`, znode);
    const op = this.issue(znode);
    try {
      await this.zk.delete(znode);
    } catch (err) {
      if (!ZkError.is(err, 'NONODE')) throw err;
    }
    this.settle(znode, op, undefined);
  }

  /** The records of a folder, by name (none when the folder is not there yet). */
  private async names(folder: Folder): Promise<string[]> {
    try {
      return await this.zk.getChildren(joinZkPath(this.root, folder));
    } catch (err) {
      if (ZkError.is(err, 'NONODE')) return [];
      throw err;
    }
  }

  /** One record (undefined when its znode is not there). */
  private async readOne<T>(
    znode: string,
    name: string,
    decode: (znode: string, name: string, text: string) => T,
  ): Promise<T | undefined> {
    try {
      const { data } = await this.zk.get(znode);
      const text = data.toString('utf8');
      const record = decode(znode, name, text);
      // Replies come in order: a write or delete of this znode issued after the read is
      // still unanswered now, and then what it holds is not known.
      if (!this.lastOp.has(znode) && this.fencedBecause === undefined) this.known.set(znode, text);
      return record;
    } catch (err) {
      if (ZkError.is(err, 'NONODE')) return undefined; // removed meanwhile
      throw err;
    }
  }

  private async readAll<T>(folder: Folder, decode: (znode: string, name: string, text: string) => T): Promise<T[]> {
    const dir = joinZkPath(this.root, folder);
    const names = (await this.names(folder)).sort();
    const read = (name: string): Promise<T | undefined> => this.readOne(joinZkPath(dir, name), name, decode);
    const records: T[] = [];
    for (let i = 0; i < names.length; i += READ_BATCH) {
      const batch = await Promise.all(names.slice(i, i + READ_BATCH).map(read));
      for (const r of batch) if (r !== undefined) records.push(r);
    }
    return records;
  }
}
