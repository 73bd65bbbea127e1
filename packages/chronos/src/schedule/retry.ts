// Retries of a failed run. Attempt 0 is the first; after a failed attempt
// the next one starts after a backoff, while attempts remain (attempts
// 0..retries, so `retries: 2` means up to three attempts, as in Chronos).
// Policy: the delay doubles from Chronos' fixed `--failure_retry` of 60 s:
// 60 s after the first failure, 120 s after the second, ... at most 15 min.
// A retry keeps the run's ID and scheduled time; only the attempt (and so the
// task ID) changes. Chronos rewrites the due time instead; keeping it makes
// the task ID of every attempt derivable by any leader.
import { taskIdFor } from './run-ids.js';

/** How the delay between attempts grows. */
export interface RetryPolicy {
  /** Delay after the first failed attempt, ms. */
  readonly initialDelayMs: number;
  /** Multiplier per further failure (1 = Chronos' fixed delay). */
  readonly factor: number;
  /** Upper bound on the delay, ms. */
  readonly maxDelayMs: number;
}

/** 60 s, doubling, at most 15 minutes. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialDelayMs: 60_000, factor: 2, maxDelayMs: 900_000 };

/** The delay before the attempt that follows failed attempt `failedAttempt` (0-based). */
export function retryDelay(failedAttempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const delay = policy.initialDelayMs * Math.pow(policy.factor, Math.max(0, failedAttempt));
  return Math.min(policy.maxDelayMs, Math.round(delay));
}

/** The next attempt of a run. */
export interface NextAttempt {
  readonly attempt: number;
  readonly taskId: string;
  /** Epoch ms before which it must not start. */
  readonly notBefore: number;
}

/**
 * The attempt after failed attempt `failedAttempt` of run `runId`, or null
 * when the job's `retries` are spent (the run has failed for good).
 *
 * @example
 * ```ts
 * nextAttempt({ retries: 2 }, 'backup@1796083200000', 0, failedAt);
 * // { attempt: 1, taskId: 'ct:1796083200000:1:backup', notBefore: failedAt + 60000 }
 * ```
 */
export function nextAttempt(
  job: { readonly retries: number },
  runId: string,
  failedAttempt: number,
  failedAt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): NextAttempt | null {
  if (failedAttempt >= job.retries) return null;
  const attempt = failedAttempt + 1;
  return { attempt, taskId: taskIdFor(runId, attempt), notBefore: failedAt + retryDelay(failedAttempt, policy) };
}
