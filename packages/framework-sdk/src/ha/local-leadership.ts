// Leadership without ZooKeeper: one instance, always the leader.
import { LeadershipEmitter, type FrameworkLeadership } from './leadership.js';
import type { LeaderInfo } from './leader-info.js';

/**
 * A {@link FrameworkLeadership} for a single instance (`mesocosm local`, no
 * `--zk`): `start()` elects it at once (epoch 0); `withdraw()` deposes it.
 *
 * @example
 * ```ts
 * const leadership = new LocalLeadership({ id, hostname: 'localhost', port: 8080, url: 'http://localhost:8080' });
 * leadership.on('elected', () => scheduler.start());
 * await leadership.start();
 * ```
 */
export class LocalLeadership extends LeadershipEmitter implements FrameworkLeadership {
  private state: 'idle' | 'leading' | 'withdrawn' = 'idle';

  constructor(readonly info: LeaderInfo) {
    super();
  }

  get isLeader(): boolean {
    return this.state === 'leading';
  }

  leader(): LeaderInfo | undefined {
    return this.isLeader ? this.info : undefined;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'leading';
    this.emit('elected', 0);
    this.emit('leaderChanged', this.info);
  }

  async withdraw(): Promise<void> {
    if (this.state === 'withdrawn') return;
    const wasLeading = this.state === 'leading';
    this.state = 'withdrawn';
    if (wasLeading) {
      this.emit('deposed', 'withdrew');
      this.emit('leaderChanged', undefined);
    }
  }
}
