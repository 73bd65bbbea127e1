// A standby's view of who leads: a children watch on the election path,
// re-armed on every change, reporting the lowest `json.info_` child's MasterInfo.
import { silentLogger, type IMasterInfo, type Logger } from '@mesocosm/protocol';
import { decodeMasterInfoJson, joinZkPath, leaderOf, ZkError, type ZkClient } from '@mesocosm/protocol/zk';

/** Reports the current leader (undefined when none) whenever it may have changed. @internal */
export class LeaderWatch {
  private closed = false;

  constructor(
    private readonly zk: ZkClient,
    private readonly path: string,
    private readonly onLeader: (leader: IMasterInfo | undefined) => void,
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
      const name = leaderOf(children);
      if (name === undefined) return this.report(undefined);
      const { data } = await this.zk.get(joinZkPath(this.path, name));
      this.report(decodeMasterInfoJson(data));
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

  private report(leader: IMasterInfo | undefined): void {
    if (!this.closed) this.onLeader(leader);
  }
}
