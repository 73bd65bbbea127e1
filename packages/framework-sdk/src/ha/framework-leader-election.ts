// Leader election among the instances of one framework (DESIGN §7: Marathon
// and Chronos HA), in the design of the master's (DESIGN §5): ephemeral
// sequential znodes `<path>/leader/member_<candidacy>_NNNNNNNNNN` whose data
// is the instance's LeaderInfo JSON; the lowest sequence leads.
//
// A standby watches the leader's znode only, not its predecessor as the
// master's contenders do: every standby must learn a new leader anyway (to
// redirect API calls there), so a leader's departure wakes each standby
// once, for information it needs; with that watch a predecessor watch would
// add nothing, and a departure from the middle of the queue wakes nobody.
//
// Losing ZooKeeper: a leader is deposed on its first `disconnected` event,
// before the server can expire its session and let another instance lead
// (see docs/high-availability.md for why). Unlike the master, a framework
// instance does not exit: once its session is back (the same one
// reconnected, or a new one after expiry) it deletes its old znode and
// stands again at the back of the queue, by itself.
//
// The candidacy nonce in the znode name makes the create "protected": when
// the reply to a create is lost, the instance finds its znode by name
// instead of leaving an orphan that would lead forever on its session.
import { randomUUID } from 'node:crypto';
import { silentLogger, systemClock, type Clock, type Logger } from '@mesocosm/protocol';
import { ZkError, joinZkPath, zkBasename, type ZkClient, type ZkSessionEvent } from '@mesocosm/protocol/zk';
import { HaClosedError, NotLeaderError } from './errors.js';
import { MEMBER_PREFIX, decodeLeaderInfo, encodeLeaderInfo, memberQueue, type LeaderInfo } from './leader-info.js';
import { LeadershipEmitter, type FrameworkLeadership } from './leadership.js';
import { ZooKeeperConnection, type ZooKeeperConnectionOptions } from './zookeeper-connection.js';

/** Options of a {@link FrameworkLeaderElection}. */
export interface FrameworkLeaderElectionOptions {
  /** This instance, published to the others. */
  info: LeaderInfo;
  /** Session options, when the election opens its own connection from a URL. */
  connection?: ZooKeeperConnectionOptions;
  /** For retries after unexpected ZooKeeper errors. */
  clock?: Clock;
  logger?: Logger;
}

/** Where an instance is in the election. */
export type ElectionState = 'idle' | 'joining' | 'standby' | 'leading' | 'rejoining' | 'withdrawn';

const RETRY_MS = 1_000;
const LOSS_RETRY_MS = 100;

/**
 * One instance's candidacy among the instances of a framework, through
 * ZooKeeper, under `<path>/leader` of the connection's `zk://` URL.
 *
 * @example
 * ```ts
 * const zk = new ZooKeeperConnection('zk://h1:2181,h2:2181/marathon');
 * const election = new FrameworkLeaderElection(zk, {
 *   info: { id: randomUUID(), hostname: 'm1', port: 8080, url: 'http://m1:8080' },
 * });
 * election.on('elected', () => scheduler.start());
 * election.on('deposed', () => scheduler.stop()); // it stands again by itself
 * election.on('leaderChanged', (leader) => api.proxyTo(leader?.url));
 * await election.start();
 * ```
 */
export class FrameworkLeaderElection extends LeadershipEmitter implements FrameworkLeadership {
  /** The session this election (and a fenced store) uses. */
  readonly connection: ZooKeeperConnection;
  private readonly ownsConnection: boolean;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private current: ElectionState = 'idle';
  private zk: ZkClient | undefined;
  private candidacy = '';
  private myName: string | undefined;
  private mySequence: number | undefined;
  private known: LeaderInfo | undefined;
  /** `<generation>:<name>` of the exists watches this candidacy has set. */
  private readonly watched = new Set<string>();
  private generation = 0;
  private checking = false;
  private checkAgain = false;
  private stopRenewed: (() => void) | undefined;
  /** How many times the election queue was read: a diagnostic for tests. @internal */
  checks = 0;

  constructor(
    connection: ZooKeeperConnection | string,
    private readonly options: FrameworkLeaderElectionOptions,
  ) {
    super();
    this.ownsConnection = typeof connection === 'string';
    this.connection =
      typeof connection === 'string' ? new ZooKeeperConnection(connection, options.connection) : connection;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  /** The znode under which instances contend: `<path>/leader`. */
  get electionPath(): string {
    return joinZkPath(this.connection.path, 'leader');
  }

  /** Where this instance is in the election. */
  get state(): ElectionState {
    return this.current;
  }

  get isLeader(): boolean {
    return this.current === 'leading';
  }

  /** While leading, this instance's election sequence (grows with every candidacy under the path). */
  get epoch(): number | undefined {
    return this.isLeader ? this.mySequence : undefined;
  }

  /** The full path of this instance's election znode, while it has one. */
  get znode(): string | undefined {
    return this.myName === undefined ? undefined : joinZkPath(this.electionPath, this.myName);
  }

  leader(): LeaderInfo | undefined {
    return this.known;
  }

  /**
   * Enters the election and resolves once queued (or waiting for ZooKeeper
   * to come back). Rejects when ZooKeeper cannot be reached at all (call
   * again to retry) or refuses the election znode.
   */
  async start(): Promise<void> {
    if (this.current === 'withdrawn') throw new HaClosedError('this FrameworkLeaderElection');
    if (this.current !== 'idle') return;
    this.current = 'joining';
    this.stopRenewed = this.connection.onRenewed((zk) => this.renewed(zk));
    let zk: ZkClient;
    try {
      zk = await this.connection.client();
    } catch (err) {
      this.stopRenewed();
      this.current = 'idle';
      throw err;
    }
    if (this.current !== 'joining') return; // withdrawn meanwhile
    this.attach(zk);
    await this.enter(zk, true);
  }

  async withdraw(): Promise<void> {
    if (this.current === 'withdrawn') return;
    const zk = this.zk;
    const name = this.myName;
    this.finish('withdrew');
    if (zk && name !== undefined) await this.deleteQuietly(zk, name);
    if (this.ownsConnection) this.connection.close();
  }

  /**
   * The session to write on, if and only if this instance leads on it now;
   * otherwise a `NotLeaderError`. A fenced store calls it right before each
   * write. @internal
   */
  writeSession(what: string): ZkClient {
    const zk = this.zk;
    if (this.current !== 'leading' || !zk || zk.state !== 'connected' || this.connection.current !== zk) {
      throw new NotLeaderError(what, this.known?.url);
    }
    return zk;
  }

  /** Creates (or, after a lost reply, finds) this candidacy's znode, then reads the queue. */
  private async enter(zk: ZkClient, throwOnFailure = false, candidacy: string = randomUUID()): Promise<void> {
    const gen = ++this.generation;
    this.current = 'joining';
    this.candidacy = candidacy;
    this.myName = undefined;
    this.mySequence = undefined;
    const dir = this.electionPath;
    try {
      await zk.mkdirp(dir);
      const lost = memberQueue(await zk.getChildren(dir)).find((m) => m.candidacy === this.candidacy);
      const name =
        lost?.name ??
        zkBasename(
          await zk.create(
            joinZkPath(dir, `${MEMBER_PREFIX}${this.candidacy}_`),
            encodeLeaderInfo(this.options.info),
            'EPHEMERAL_SEQUENTIAL',
          ),
        );
      if (gen !== this.generation) return void this.deleteQuietly(zk, name);
      this.myName = name;
      this.mySequence = memberQueue([name])[0]?.sequence;
      this.current = 'standby';
      this.logger.info('standing for leadership', { znode: this.znode });
    } catch (err) {
      if (gen !== this.generation) return;
      // The create may have happened: retry with the same candidacy, which finds it by name.
      if (ZkError.is(err, 'CONNECTIONLOSS'))
        return this.onceConnected(zk, () => this.enter(zk, false, candidacy), true);
      if (ZkError.is(err, 'SESSIONEXPIRED') || ZkError.is(err, 'CLOSING')) return; // renewal re-enters
      this.logger.error('cannot enter the election', { path: dir, error: String(err) });
      if (throwOnFailure) {
        this.finish(`cannot enter the election: ${String(err)}`);
        throw err;
      }
      this.clock.setTimeout(() => {
        if (gen === this.generation) void this.enter(zk);
      }, RETRY_MS);
      return;
    }
    await this.check();
  }

  /** Reads the queue (one read at a time; a request during a read runs after it). */
  private async check(): Promise<void> {
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = true;
    try {
      do {
        this.checkAgain = false;
        await this.checkOnce();
      } while (this.checkAgain);
    } finally {
      this.checking = false;
    }
  }

  /** Leads when first in the queue; else learns the leader and watches its znode. */
  private async checkOnce(): Promise<void> {
    const zk = this.zk;
    if (this.current !== 'standby' || !zk || this.myName === undefined) return;
    const gen = this.generation;
    this.checks++;
    try {
      const queue = memberQueue(await zk.getChildren(this.electionPath));
      if (gen !== this.generation) return;
      const mine = queue.findIndex((m) => m.name === this.myName);
      if (mine < 0) {
        this.logger.warn('our election znode is gone; standing again', { znode: this.znode });
        return void this.enter(zk);
      }
      const first = queue[0];
      if (mine === 0 || !first) return await this.lead(zk, gen);
      const { data } = await zk.get(joinZkPath(this.electionPath, first.name));
      if (gen !== this.generation) return;
      const info = decodeLeaderInfo(data);
      if (!info) this.logger.warn('the leader’s election znode is not a LeaderInfo', { znode: first.name });
      this.setLeader(info);
      await this.watch(zk, gen, first.name);
    } catch (err) {
      if (gen !== this.generation) return;
      if (ZkError.is(err, 'NONODE'))
        this.checkAgain = true; // a member left while we read
      else if (ZkError.is(err, 'CONNECTIONLOSS')) this.onceConnected(zk, () => this.check(), true);
      else if (!ZkError.is(err, 'SESSIONEXPIRED') && !ZkError.is(err, 'CLOSING')) {
        this.logger.warn('cannot read the election', { error: String(err) });
        this.clock.setTimeout(() => {
          if (gen === this.generation) void this.check();
        }, RETRY_MS);
      }
    }
  }

  /** Sets an exists watch on the leader's znode unless this candidacy already has one there. */
  private async watch(zk: ZkClient, gen: number, name: string): Promise<void> {
    const token = `${gen}:${name}`;
    if (this.watched.has(token)) return;
    this.watched.add(token);
    try {
      const stat = await zk.exists(joinZkPath(this.electionPath, name), () => {
        this.watched.delete(token);
        if (gen === this.generation) void this.check();
      });
      if (stat === null) this.checkAgain = true; // gone before the watch was set
    } catch (err) {
      this.watched.delete(token);
      throw err;
    }
  }

  /**
   * Leads, watching its own znode: were it deleted by hand, another instance
   * would lead, so this one stops at once and stands again.
   */
  private async lead(zk: ZkClient, gen: number): Promise<void> {
    const path = this.znode ?? '';
    const lost = (): void => {
      if (gen !== this.generation || this.current !== 'leading') return;
      this.depose(`our election znode ${path} was deleted`);
      void this.enter(zk);
    };
    const stat = await zk.exists(path, (event) => {
      if (event.type === 'deleted') lost();
    });
    if (gen !== this.generation) return;
    if (stat === null) return void this.enter(zk);
    this.current = 'leading';
    this.logger.info('elected leader', { znode: path, epoch: this.mySequence });
    this.emit('elected', this.mySequence ?? 0);
    this.setLeader(this.options.info);
  }

  private setLeader(info: LeaderInfo | undefined): void {
    if (info?.id === this.known?.id && info?.url === this.known?.url) return;
    this.known = info;
    this.emit('leaderChanged', info);
  }

  /** Stops leading (when leading) and leaves the candidacy, whatever comes next. */
  private depose(reason: string): void {
    this.generation++;
    this.watched.clear();
    if (this.current === 'leading') {
      this.logger.warn('deposed', { reason });
      this.current = 'rejoining';
      this.emit('deposed', reason);
      this.setLeader(undefined);
    }
    this.current = 'rejoining';
  }

  private readonly onSession = (event: ZkSessionEvent): void => {
    const zk = this.zk;
    if (!zk || this.current === 'withdrawn' || this.current === 'idle') return;
    if (event === 'disconnected') {
      if (this.current !== 'leading') return; // a standby rides it out: its watches survive in the session
      const name = this.myName;
      this.depose('disconnected from ZooKeeper: stopping leading at once');
      // Same session back: give up the old znode (the next instance need not wait for expiry), stand again.
      this.onceConnected(zk, async () => {
        if (name !== undefined) await this.deleteQuietly(zk, name);
        if (this.current === 'rejoining' && this.zk === zk) await this.enter(zk);
      });
      return;
    }
    if (event === 'expired' || !this.connection.isClosed) {
      this.depose(`the ZooKeeper session ${event === 'expired' ? 'expired' : 'was lost'}`);
      this.myName = undefined;
      this.mySequence = undefined;
      const renewed = this.connection.current;
      if (renewed && renewed !== zk) this.renewed(renewed); // renewed before we heard of the expiry
      return;
    }
    this.finish('the ZooKeeper connection was closed');
  };

  /** A new session after an expiry: stand again on it. */
  private renewed(zk: ZkClient): void {
    if (this.current !== 'rejoining' || this.zk === zk) return;
    this.attach(zk);
    void this.enter(zk);
  }

  private attach(zk: ZkClient): void {
    this.detach();
    this.zk = zk;
    zk.on('disconnected', this.onSession).on('expired', this.onSession).on('closed', this.onSession);
  }

  private detach(): void {
    this.zk?.off('disconnected', this.onSession).off('expired', this.onSession).off('closed', this.onSession);
  }

  private finish(reason: string): void {
    if (this.current === 'leading') {
      this.logger.warn('deposed', { reason });
      this.current = 'withdrawn';
      this.emit('deposed', reason);
      this.setLeader(undefined);
    }
    this.current = 'withdrawn';
    this.generation++;
    this.watched.clear();
    this.detach();
    this.stopRenewed?.();
  }

  /**
   * Runs `fn` once `zk` is connected again, unless the candidacy changed
   * meanwhile. After a CONNECTIONLOSS error (`afterLoss`) the session may not
   * have reported the disconnection yet: if it still says connected, retry
   * after a short delay rather than at once.
   */
  private onceConnected(zk: ZkClient, fn: () => Promise<void> | void, afterLoss = false): void {
    const gen = this.generation;
    const run = (): void => {
      zk.off('connected', run);
      if (this.generation === gen && this.zk === zk) void fn();
    };
    if (zk.state !== 'connected') zk.on('connected', run);
    else if (afterLoss) this.clock.setTimeout(run, LOSS_RETRY_MS);
    else run();
  }

  private async deleteQuietly(zk: ZkClient, name: string): Promise<void> {
    if (zk.state !== 'connected') return;
    try {
      await zk.delete(joinZkPath(this.electionPath, name));
    } catch (err) {
      if (!ZkError.is(err, 'NONODE'))
        this.logger.warn('could not delete an election znode', { name, error: String(err) });
    }
  }
}
