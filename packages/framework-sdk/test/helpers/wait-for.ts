// Waiting for a condition, never for a fixed time.

/** Polls `predicate` until it returns a truthy value or `timeoutMs` passes; returns that value. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
