// Waiting for conditions, never for fixed sleeps.

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects messages and hands out the first one matching a predicate. */
export class Inbox<T> {
  readonly all: T[] = [];
  private readonly pending: T[] = [];

  push(message: T): void {
    this.all.push(message);
    this.pending.push(message);
  }

  /** Takes the first unconsumed message matching `pred`, waiting for it. */
  async take(pred: (m: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
    return waitFor(
      () => {
        const i = this.pending.findIndex(pred);
        if (i < 0) return undefined;
        const [m] = this.pending.splice(i, 1);
        return m;
      },
      what,
      timeoutMs,
    );
  }

  /** Unconsumed messages matching `pred`, without waiting. */
  peek(pred: (m: T) => boolean): T[] {
    return this.pending.filter(pred);
  }
}
