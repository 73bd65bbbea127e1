// At-least-once status updates: remember the UUIDs already delivered, so that
// a resent update is acknowledged again (its first ACK may have been lost)
// but not handed to the framework twice.
import { uuidToString } from '@mesocosm/protocol';

/** What to do with an update that carries a UUID. @internal */
export type UpdateVerdict = 'deliver' | 'reacknowledge' | 'drop';

/** Bounded memory of status-update UUIDs (oldest forgotten first). @internal */
export class UpdateTracker {
  private readonly seen = new Map<string, { acknowledged: boolean }>();

  constructor(private readonly capacity = 10_000) {}

  /**
   * Classifies an update: new (deliver it), already seen and acknowledged
   * (acknowledge again), or seen and not yet acknowledged (drop: the first
   * copy is still being handled).
   */
  observe(uuid: Uint8Array): UpdateVerdict {
    const key = uuidToString(uuid);
    const entry = this.seen.get(key);
    if (entry) return entry.acknowledged ? 'reacknowledge' : 'drop';
    this.seen.set(key, { acknowledged: false });
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return 'deliver';
  }

  /** Records that the framework acknowledged this update. */
  acknowledged(uuid: Uint8Array): void {
    const entry = this.seen.get(uuidToString(uuid));
    if (entry) entry.acknowledged = true;
  }

  /** Forgets an update whose handling failed, so that its resend is delivered again. */
  forget(uuid: Uint8Array): void {
    this.seen.delete(uuidToString(uuid));
  }
}
