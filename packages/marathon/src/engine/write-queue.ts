// Store writes in the order they were asked for: a task's record is created,
// updated and deleted in that order even when the calls overlap.

import type { Logger } from '@mesocosm/framework-sdk';

/** A FIFO of async writes; a failed write is logged and does not stop the ones after it. */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly logger: Logger) {}

  /** Runs `write` after every write queued before it; resolves (or rejects) with its outcome. */
  push<T>(what: string, write: () => Promise<T>): Promise<T> {
    const run = this.tail.then(write, write);
    this.tail = run.catch((err: unknown) => {
      this.logger.warn('state write failed', { what, error: err instanceof Error ? err.message : String(err) });
    });
    return run;
  }

  /** Resolves once every write queued so far has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
