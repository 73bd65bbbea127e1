// The registry in ZooKeeper, one znode per record under the election path:
//   <path>/registry/agents/<agentId>        admitted agents (AgentInfo)
//   <path>/registry/frameworks/<frameworkId> framework infos
//   <path>/registry/maintenance/<agentId>   deactivated / draining / drained agents
//   <path>/registry/gone/<agentId>          agents removed for good
// Writes go over the leader's own session (the one that owns its
// json.info_ znode): once that session has expired, ZooKeeper refuses them.
import { ValidationError, type IAgentInfo, type IFrameworkInfo } from '@mesocosm/protocol';
import { joinZkPath, ZkError, type ZkClient } from '@mesocosm/protocol/zk';
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
import type { GoneAgent, MaintenanceRecord, Registry } from './registry.js';

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
  }

  /** The znode of a record. */
  znodeOf(folder: Folder, id: string): string {
    return joinZkPath(joinZkPath(this.root, folder), checkName(folder, id));
  }

  async admitAgent(info: IAgentInfo): Promise<void> {
    await this.put(this.znodeOf('agents', info.id?.value ?? ''), encodeAgent(info));
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

  agents(): Promise<IAgentInfo[]> {
    return this.readAll('agents', decodeAgent);
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

  private checkWritable(op: string): void {
    if (this.fencedBecause !== undefined) throw new RegistryFencedError(op, this.fencedBecause);
    // Not while cut off: the C client would queue the write and send it on reconnection,
    // possibly after a new leader read the registry. (Expired and closed sessions are
    // refused by the client itself: SESSIONEXPIRED, CLOSING.)
    if (this.zk.state === 'disconnected' || this.zk.state === 'connecting') {
      throw new RegistryFencedError(op, `the ZooKeeper session is ${this.zk.state}`);
    }
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

  /** Creates or replaces one znode's data. */
  private async put(znode: string, data: string): Promise<void> {
    this.checkWritable(`write of ${znode}`);
    await this.ensureFolders();
    try {
      await this.zk.set(znode, data);
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
  }

  private async remove(znode: string): Promise<void> {
    this.checkWritable(`delete of ${znode}`);
    try {
      await this.zk.delete(znode);
    } catch (err) {
      if (!ZkError.is(err, 'NONODE')) throw err;
    }
  }

  private async readAll<T>(folder: Folder, decode: (znode: string, name: string, text: string) => T): Promise<T[]> {
    const dir = joinZkPath(this.root, folder);
    let names: string[];
    try {
      names = await this.zk.getChildren(dir);
    } catch (err) {
      if (ZkError.is(err, 'NONODE')) return [];
      throw err;
    }
    const records = await Promise.all(
      names.sort().map(async (name) => {
        const znode = joinZkPath(dir, name);
        try {
          const { data } = await this.zk.get(znode);
          return decode(znode, name, data.toString('utf8'));
        } catch (err) {
          if (ZkError.is(err, 'NONODE')) return undefined; // removed meanwhile
          throw err;
        }
      }),
    );
    return records.filter((r): r is Awaited<T> => r !== undefined) as T[];
  }
}
