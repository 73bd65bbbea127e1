// Who is in the election group: a children watch on the election path,
// re-armed on every change, reporting the lowest `json.info_` child's
// MasterInfo (the leader, for a standby) and every contender's (the masters
// the operator UI can follow after a failover).
import { silentLogger, type IMasterInfo, type Logger } from '@mesocosm/protocol';
import { decodeMasterInfoJson, electionQueue, joinZkPath, ZkError, type ZkClient } from '@mesocosm/protocol/zk';

/**
 * Reports the current leader (undefined when none) and every contender,
 * lowest sequence first, whenever they may have changed. @internal
 */
export class LeaderWatch {
  private closed = false;

  constructor(
    private readonly zk: ZkClient,
    private readonly path: string,
    private readonly onLeader: (leader: IMasterInfo | undefined, masters: IMasterInfo[]) => void,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Reads the leader now and watches for changes. */
  start(): void {
    void this.read();
  }

  /** Stops reporting (the last watch fires into nothing). */
  close(): void {
    this.closed = true;
  }

  private async read(): Promise<void> {
    if (this.closed) return;
    try {
      const children = await this.zk.getChildren(this.path, () => void this.read());
      const queue = electionQueue(children);
      const masters: IMasterInfo[] = [];
      for (const { name } of queue) {
        const info = await this.readInfo(name);
        if (info) masters.push(info);
        // The leader left between the two reads: the children watch fires for it.
        else if (masters.length === 0) return;
      }
      this.report(masters[0], masters);
    } catch (err) {
      // The leader left between the two reads: the children watch fires for it.
      if (ZkError.is(err, 'NONODE')) return;
      if (ZkError.is(err, 'CONNECTIONLOSS')) {
        const again = (): void => {
          this.zk.off('connected', again);
          void this.read();
        };
        this.zk.on('connected', again);
        return;
      }
      this.logger.warn('could not read the leader from ZooKeeper', { path: this.path, error: String(err) });
    }
  }

  /** A contender's MasterInfo; undefined when its znode is gone or unreadable. */
  private async readInfo(name: string): Promise<IMasterInfo | undefined> {
    try {
      const { data } = await this.zk.get(joinZkPath(this.path, name));
      return decodeMasterInfoJson(data);
    } catch (err) {
      if (ZkError.is(err, 'NONODE')) return undefined;
      if (ZkError.is(err, 'CONNECTIONLOSS')) throw err;
      this.logger.warn('could not read a contender from ZooKeeper', { name, error: String(err) });
      return undefined;
    }
  }

  private report(leader: IMasterInfo | undefined, masters: IMasterInfo[]): void {
    if (!this.closed) this.onLeader(leader, masters);
  }
}
