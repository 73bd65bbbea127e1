// Reconnection backoff: exponential, capped.

/** The most the driver waits between two subscription attempts. */
export const MAX_BACKOFF_MS = 30_000;

/**
 * The delay before reconnection attempt `attempt` (0 = the first retry):
 * `baseMs * 2^attempt`, capped at {@link MAX_BACKOFF_MS}.
 */
export function backoffDelay(baseMs: number, attempt: number): number {
  const base = Math.max(0, baseMs);
  return Math.min(MAX_BACKOFF_MS, base * 2 ** Math.min(attempt, 30));
}
