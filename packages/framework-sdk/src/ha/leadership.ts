// What a framework instance knows about leadership, whether it is elected
// through ZooKeeper or alone (local mode).
import { EventEmitter } from 'node:events';
import type { LeaderInfo } from './leader-info.js';

/** Events of a {@link FrameworkLeadership}. */
export interface LeadershipEvents {
  /** This instance leads now; `epoch` grows with every election under the path. Start acting. */
  elected: [epoch: number];
  /** This instance led and no longer does (session lost, withdrawn): stop acting at once. */
  deposed: [reason: string];
  /** The leader is another one (or unknown: undefined): redirect or proxy API calls to its URL. */
  leaderChanged: [leader: LeaderInfo | undefined];
}

/**
 * Leadership among the instances of one framework. `FrameworkLeaderElection`
 * (ZooKeeper) and `LocalLeadership` (always the leader) implement it.
 *
 * @example
 * ```ts
 * leadership.on('elected', () => scheduler.start());
 * leadership.on('deposed', () => scheduler.stop());
 * leadership.on('leaderChanged', (leader) => api.setLeader(leader?.url));
 * await leadership.start();
 * ```
 */
export interface FrameworkLeadership {
  /** True while this instance leads. */
  readonly isLeader: boolean;
  /** The current leader as this instance knows it (itself while leading), or undefined. */
  leader(): LeaderInfo | undefined;
  /** Enters the election; resolves once queued (`elected` follows, now or later). */
  start(): Promise<void>;
  /** Leaves the election for good (`deposed` first when leading). Idempotent. */
  withdraw(): Promise<void>;
  /** Calls `fn` on every `event` (see {@link LeadershipEvents}); returns this, for chaining. */
  on<K extends keyof LeadershipEvents>(event: K, fn: (...args: LeadershipEvents[K]) => void): this;
  /** Removes a listener added with {@link on}. */
  off<K extends keyof LeadershipEvents>(event: K, fn: (...args: LeadershipEvents[K]) => void): this;
}

/** The typed event plumbing both implementations share. @internal */
export abstract class LeadershipEmitter {
  private readonly emitter = new EventEmitter();

  /** Calls `fn` on every `event` (see {@link LeadershipEvents}); returns this, for chaining. */
  on<K extends keyof LeadershipEvents>(event: K, fn: (...args: LeadershipEvents[K]) => void): this {
    this.emitter.on(event, fn as (...args: unknown[]) => void);
    return this;
  }

  /** Removes a listener added with {@link on}. */
  off<K extends keyof LeadershipEvents>(event: K, fn: (...args: LeadershipEvents[K]) => void): this {
    this.emitter.off(event, fn as (...args: unknown[]) => void);
    return this;
  }

  /** Tells the listeners of `event`. */
  protected emit<K extends keyof LeadershipEvents>(event: K, ...args: LeadershipEvents[K]): void {
    this.emitter.emit(event, ...args);
  }
}
