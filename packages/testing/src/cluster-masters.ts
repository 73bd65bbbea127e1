// The masters of a LocalCluster: one standalone master, or (with ZooKeeper)
// several contenders of which one leads, with the failover tests need.
import type { MasterState } from '@mesocosm/master';
import { LocalClusterError } from './errors.js';
import { fetchJson } from './fetch-json.js';
import type { MasterHandle } from './members.js';
import { waitFor } from './wait-for.js';

/** A master of a {@link LocalCluster}, as tests see it. */
export interface ClusterMaster {
  /** Position in `cluster.masters`. */
  readonly index: number;
  /** Its gRPC address (the last one, once killed). */
  readonly grpc: string;
  /** Its HTTP base URL (the last one, once killed). */
  readonly http: string;
  /** The process ID in `processes` mode. */
  readonly pid: number | undefined;
  /** False once killed or stopped. */
  readonly running: boolean;
  /** True for the master the cluster last saw elected (always, for a standalone master). */
  readonly leading: boolean;
}

interface Slot {
  handle: MasterHandle | undefined;
  last: MasterHandle | undefined;
}

/** Starts, tracks, kills and restarts the masters; knows the leader. @internal */
export class ClusterMasters {
  private readonly slots: Slot[];
  private leaderIndex: number | undefined;

  constructor(
    count: number,
    /** True with ZooKeeper: masters contend, and a leader must be waited for. */
    private readonly ha: boolean,
    private readonly launch: (index: number, last: MasterHandle | undefined) => Promise<MasterHandle>,
  ) {
    this.slots = Array.from({ length: count }, () => ({ handle: undefined, last: undefined }));
  }

  /** Starts every master; in HA mode, resolves once one of them leads. */
  async startAll(timeoutMs: number): Promise<void> {
    for (let i = 0; i < this.slots.length; i++) await this.start(i);
    if (this.ha) await this.waitForLeader(timeoutMs);
    else this.leaderIndex = 0;
  }

  /** The leader (the only master when standalone); throws when it is not running. */
  leader(): MasterHandle {
    const slot = this.leaderIndex === undefined ? undefined : this.slots[this.leaderIndex];
    if (!slot?.handle) {
      throw new LocalClusterError(
        this.ha
          ? 'no master is known to lead: call waitForLeader() (after failover() or restartMaster())'
          : 'the master is not running (killed or stopped)',
      );
    }
    return slot.handle;
  }

  list(): ClusterMaster[] {
    return this.slots.map((s, index) => ({
      index,
      grpc: s.last?.grpc ?? '',
      http: s.last?.http ?? '',
      pid: s.last?.pid,
      running: s.handle !== undefined,
      leading: s.handle !== undefined && index === this.leaderIndex,
    }));
  }

  /** Polls the running masters until exactly one says it is elected; remembers it. */
  async waitForLeader(timeoutMs: number): Promise<ClusterMaster> {
    const index = await waitFor(
      async () => {
        const elected: number[] = [];
        for (const [i, s] of this.slots.entries()) {
          if (!s.handle) continue;
          const state = await fetchJson<Pick<MasterState, 'elected'>>(`${s.handle.http}/master/state`).catch(
            () => undefined, // a master still starting, or going away
          );
          if (state?.elected) elected.push(i);
        }
        return elected.length === 1 ? { i: elected[0]! } : undefined;
      },
      { timeoutMs, message: 'exactly one running master elected (leading)' },
    );
    this.leaderIndex = index.i;
    return this.list()[index.i]!;
  }

  async start(i: number): Promise<void> {
    const slot = this.slot(i);
    if (slot.handle) throw new LocalClusterError(`master ${i} is already running`);
    slot.handle = slot.last = await this.launch(i, slot.last);
  }

  async kill(i: number, signal: NodeJS.Signals): Promise<void> {
    const slot = this.slot(i);
    const handle = slot.handle;
    slot.handle = undefined;
    if (this.leaderIndex === i) this.leaderIndex = undefined;
    await handle?.stop(signal);
  }

  /** Kills the leader and waits for another running master to be elected. */
  async failover(signal: NodeJS.Signals, timeoutMs: number): Promise<ClusterMaster> {
    if (!this.ha) {
      throw new LocalClusterError('failover() needs masters in ZooKeeper: start the cluster with { zk, masters: 2 }');
    }
    const old = this.leaderIndex ?? (await this.waitForLeader(timeoutMs)).index;
    const others = this.slots.filter((s, i) => i !== old && s.handle !== undefined).length;
    if (others === 0) {
      throw new LocalClusterError('failover() needs another running master to take over: restartMaster() one first');
    }
    await this.kill(old, signal);
    return this.waitForLeader(timeoutMs);
  }

  async stopAll(errors: unknown[]): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.kill(i, 'SIGTERM').catch((err: unknown) => errors.push(err))));
  }

  private slot(i: number): Slot {
    const slot = this.slots[i];
    if (!slot) throw new LocalClusterError(`there is no master ${i}: the cluster has ${this.slots.length}`);
    return slot;
  }
}
