// Leader election in the Mesos layout (DESIGN §5): an ephemeral sequential
// `<path>/json.info_` znode holding our MasterInfo JSON; the lowest sequence
// leads; every other contender watches only its predecessor (an exists
// watch), so a departure wakes one contender, not the whole herd.
//
// Losing ZooKeeper: a leader stops leading on the FIRST `disconnected` event,
// not at session expiry. The C client cannot tell "expired" while it is cut
// off (it learns it only when it reaches a server again), and it notices the
// cut after 2/3 of the session timeout, while the server expires the session
// (and so lets the next contender in) only after the full timeout: deposing
// at once is what guarantees the old leader has stopped before a new one
// starts. Mesos' master does likewise (it aborts when its session is lost).
// A deposed contender is done: it deletes its znode when it can, so that the
// next contender leads without waiting for the session to expire; the owner
// creates a new contender to stand again.
import { EventEmitter } from 'node:events';
import { silentLogger, type IMasterInfo, type Logger } from '@mesocosm/protocol';
import {
  MASTER_INFO_PREFIX,
  ZkError,
  electionQueue,
  encodeMasterInfoJson,
  joinZkPath,
  sequenceOf,
  zkBasename,
  type ZkClient,
  type ZkSessionEvent,
} from '@mesocosm/protocol/zk';
import { ElectionError } from './errors.js';

/** Options of a {@link LeaderContender}. */
export interface LeaderContenderOptions {
  /** The election path, e.g. `/mesos` (created when missing). */
  path: string;
  /** This master's identity; published as JSON (its `epoch` is set to the sequence). */
  info: IMasterInfo;
  logger?: Logger;
}

/** Where a contender is. */
export type ContenderState = 'idle' | 'contending' | 'leading' | 'ended';

/** Events of a {@link LeaderContender}. */
export interface ContenderEvents {
  /** This contender leads; `epoch` is its election sequence. */
  elected: [epoch: number];
  /** This contender led and no longer does: stop acting as leader at once. */
  deposed: [reason: string];
  /** The candidacy is over (after `deposed` for a leader); contend again with a new contender. */
  ended: [reason: string];
}

/**
 * One master's candidacy.
 *
 * @example
 * ```ts
 * const contender = new LeaderContender(zk, { path: '/mesos', info });
 * contender.on('elected', (epoch) => master.lead(epoch));
 * contender.on('deposed', (why) => master.abdicate(why));
 * await contender.contend();
 * ```
 */
export class LeaderContender {
  private readonly events = new EventEmitter();
  private current: ContenderState = 'idle';
  private myName: string | undefined;
  private mySequence: number | undefined;
  private checking = false;
  private checkAgain = false;
  /** How many times the election queue was read: a diagnostic for tests. @internal */
  checks = 0;
  private readonly logger: Logger;
  private readonly onSession = (event: ZkSessionEvent): void => this.sessionEvent(event);

  constructor(
    private readonly zk: ZkClient,
    private readonly options: LeaderContenderOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Where the candidacy is. */
  get state(): ContenderState {
    return this.current;
  }

  /** True while leading. */
  get leading(): boolean {
    return this.current === 'leading';
  }

  /** The epoch (election sequence) once the znode exists. */
  get sequence(): number | undefined {
    return this.mySequence;
  }

  /** The full path of this contender's znode once it exists. */
  get znode(): string | undefined {
    return this.myName === undefined ? undefined : joinZkPath(this.options.path, this.myName);
  }

  on<K extends keyof ContenderEvents>(event: K, fn: (...args: ContenderEvents[K]) => void): this {
    this.events.on(event, fn as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof ContenderEvents>(event: K, fn: (...args: ContenderEvents[K]) => void): this {
    this.events.off(event, fn as (...args: unknown[]) => void);
    return this;
  }

  /**
   * Enters the election: creates the znode and resolves once this contender
   * is queued (`elected` follows, now or later). Rejects (and ends the
   * candidacy) when ZooKeeper fails meanwhile.
   */
  async contend(): Promise<void> {
    if (this.current !== 'idle') throw new ElectionError('contend() was already called on this contender');
    this.current = 'contending';
    this.zk.on('disconnected', this.onSession).on('expired', this.onSession).on('closed', this.onSession);
    try {
      await this.zk.mkdirp(this.options.path);
      const created = await this.zk.create(
        joinZkPath(this.options.path, MASTER_INFO_PREFIX),
        encodeMasterInfoJson({ ...this.options.info, epoch: null }),
        'EPHEMERAL_SEQUENTIAL',
      );
      this.myName = zkBasename(created);
      this.mySequence = sequenceOf(this.myName, MASTER_INFO_PREFIX);
      if (this.mySequence === undefined)
        throw new ElectionError(`ZooKeeper created ${created}, not a sequential znode`);
      await this.zk.set(created, encodeMasterInfoJson({ ...this.options.info, epoch: this.mySequence }));
      this.logger.info('contending for leadership', { znode: created });
    } catch (err) {
      this.end(`could not enter the election: ${String(err)}`);
      throw err;
    }
    await this.check();
  }

  /**
   * Leaves the election: deletes the znode, and a leader is deposed. The
   * delete is sent first, before the `deposed` listeners run (a leader's may
   * take a while closing its streams), so that the next contender is elected
   * without waiting for them; a leader's owner fences its writes before
   * calling this. Idempotent.
   */
  async withdraw(): Promise<void> {
    if (this.current === 'ended') return;
    const deleted = this.deleteZnode(); // the request is sent now; the reply comes later
    this.end('withdrew');
    await deleted;
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

  /** Leads when first in the queue, else watches the predecessor. */
  private async checkOnce(): Promise<void> {
    if (this.current !== 'contending' || this.myName === undefined) return;
    this.checks++;
    let queue: Array<{ name: string; sequence: number }>;
    try {
      queue = electionQueue(await this.zk.getChildren(this.options.path));
    } catch (err) {
      return this.transient(err);
    }
    if (this.current !== 'contending') return;
    const mine = queue.findIndex((c) => c.name === this.myName);
    if (mine < 0) return this.end(`our znode ${this.znode ?? ''} is gone (the session expired?)`);
    const predecessor = queue[mine - 1];
    if (!predecessor) return this.elect();
    const predPath = joinZkPath(this.options.path, predecessor.name);
    try {
      const stat = await this.zk.exists(predPath, (event) => {
        if (event.type === 'deleted') void this.check();
      });
      // Gone between the listing and the watch: look again.
      if (stat === null) this.checkAgain = true;
      else this.logger.debug('waiting for the predecessor', { predecessor: predPath });
    } catch (err) {
      this.transient(err);
    }
  }

  /** A failed read while contending: retried on reconnection; anything else ends the candidacy. */
  private transient(err: unknown): void {
    if (this.current !== 'contending') return;
    if (ZkError.is(err, 'CONNECTIONLOSS')) {
      this.zk.on('connected', this.retryOnce);
      return;
    }
    this.end(`ZooKeeper failed: ${String(err)}`);
  }

  private readonly retryOnce = (): void => {
    this.zk.off('connected', this.retryOnce);
    void this.check();
  };

  private elect(): void {
    const epoch = this.mySequence ?? 0;
    this.current = 'leading';
    this.logger.info('elected leader', { znode: this.znode, epoch });
    this.events.emit('elected', epoch);
  }

  private sessionEvent(event: ZkSessionEvent): void {
    if (this.current === 'ended' || this.current === 'idle') return;
    if (event === 'disconnected') {
      if (this.current !== 'leading') return; // a standby rides out a reconnection; its watch survives
      this.end('disconnected from ZooKeeper: stopping leading at once');
      // Give up the znode once reconnected, so that the next contender need not wait for expiry.
      const cleanup = (): void => {
        this.zk.off('connected', cleanup);
        void this.deleteZnode();
      };
      this.zk.on('connected', cleanup);
      return;
    }
    this.end(event === 'expired' ? 'the ZooKeeper session expired' : 'the ZooKeeper session was closed');
  }

  private end(reason: string): void {
    if (this.current === 'ended') return;
    const wasLeading = this.current === 'leading';
    this.current = 'ended';
    this.zk.off('disconnected', this.onSession).off('expired', this.onSession).off('closed', this.onSession);
    this.zk.off('connected', this.retryOnce);
    if (wasLeading) {
      this.logger.warn('deposed', { reason });
      this.events.emit('deposed', reason);
    }
    this.events.emit('ended', reason);
  }

  private async deleteZnode(): Promise<void> {
    const path = this.znode;
    if (path === undefined || this.zk.state !== 'connected') return;
    try {
      await this.zk.delete(path);
    } catch (err) {
      if (!ZkError.is(err, 'NONODE'))
        this.logger.warn('could not delete the election znode', { path, error: String(err) });
    }
  }
}
