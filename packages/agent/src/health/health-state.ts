// The health of one task as a state machine over check results. Pure.
//
// - Failures within the grace period (from when checking started) do not
//   count, until the first success ends the grace period early.
// - A success makes the task healthy and resets the failure count.
// - A counted failure makes it unhealthy; after `consecutiveFailures` of them
//   in a row (when that is above 0) the task is to be killed.
// - Health is reported on each change only (the first result is a change).

/** The outcome of one check. */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly why: string };

/** A task's health so far. */
export interface HealthState {
  /** Undefined until the first result that counts. */
  readonly healthy: boolean | undefined;
  readonly consecutiveFailures: number;
  /** The grace period is over (elapsed, or ended by a success). */
  readonly graceOver: boolean;
}

/** What a result changes. */
export interface HealthStep {
  readonly state: HealthState;
  /** Set when `healthy` changed: report it. */
  readonly changed?: boolean;
  /** The failure fell in the grace period and was not counted. */
  readonly ignored?: boolean;
  /** Enough failures in a row: kill the task. */
  readonly kill?: boolean;
}

/** The parameters of the state machine. */
export interface HealthPolicy {
  readonly gracePeriodMs: number;
  readonly consecutiveFailures: number;
}

/** Before any check. */
export const INITIAL_HEALTH: HealthState = { healthy: undefined, consecutiveFailures: 0, graceOver: false };

/** The next state after `result`, `elapsedMs` after checking started. */
export function healthStep(
  state: HealthState,
  result: CheckResult,
  elapsedMs: number,
  policy: HealthPolicy,
): HealthStep {
  if (result.ok) {
    const next: HealthState = { healthy: true, consecutiveFailures: 0, graceOver: true };
    return { state: next, ...(state.healthy !== true ? { changed: true } : {}) };
  }
  const graceOver = state.graceOver || elapsedMs >= policy.gracePeriodMs;
  if (!graceOver) return { state, ignored: true };
  const failures = state.consecutiveFailures + 1;
  const next: HealthState = { healthy: false, consecutiveFailures: failures, graceOver };
  return {
    state: next,
    ...(state.healthy !== false ? { changed: true } : {}),
    ...(policy.consecutiveFailures > 0 && failures >= policy.consecutiveFailures ? { kill: true } : {}),
  };
}
