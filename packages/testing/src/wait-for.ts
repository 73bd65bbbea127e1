// Polling with a deadline: what tests use instead of fixed sleeps.
import { setTimeout as sleep } from 'node:timers/promises';
import { WaitTimeoutError } from './errors.js';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Poll this often (default 50 ms). */
  intervalMs?: number;
  /** Says what was awaited, in the timeout error. */
  message?: string;
}

/**
 * Polls `predicate` until it returns a value other than `false`, `undefined`
 * or `null`, and resolves with that value. A predicate that throws counts as
 * "not yet"; its last error becomes the cause of the timeout.
 *
 * @example
 * ```ts
 * const state = await waitFor(async () => {
 *   const s = await fetchJson<{ tasks: unknown[] }>(`${cluster.masterHttp}/master/state`);
 *   return s.tasks.length === 3 && s;
 * }, { timeoutMs: 5000, message: 'three tasks in the master state' });
 * ```
 * @throws WaitTimeoutError when the deadline passes.
 */
export async function waitFor<T>(
  predicate: () => T | false | null | undefined | Promise<T | false | null | undefined>,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value !== false && value !== undefined && value !== null) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const what = options.message ?? 'condition';
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}${why}`, lastError);
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}
