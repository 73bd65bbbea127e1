// RunBook: whether a due run of a job starts, waits or is skipped, given the
// runs of that job still active. A run is active from its start until its
// final outcome (success, or failure with retries spent), retry backoffs
// included.
//
// With `concurrent: false` (the default), as in Chronos, a run never starts
// while another run of the job is active. What happens to it depends on why
// it is due:
//   - a scheduled run is skipped (Chronos drops it from its queue; Metronome's
//     FORBID does the same), recorded as `previous-run-active`;
//   - a dependency-triggered or manual run waits, and starts when the active
//     run ends: its parents' successes or the user's request are not lost.
//     One run waits per job; a further one is skipped as `already-waiting`.
// With `concurrent: true` every run starts.

/** Why a run is due. */
export type RunTrigger = 'schedule' | 'dependency' | 'manual';

/** A run asking to start. */
export interface RunRequest {
  readonly runId: string;
  readonly trigger: RunTrigger;
}

/** The RunBook's answer. */
export type RunDecision =
  | { readonly action: 'start' }
  | { readonly action: 'wait'; readonly behind: string }
  | { readonly action: 'skip'; readonly reason: 'previous-run-active' | 'already-waiting'; readonly message: string }
  /** The run is already active or waiting (a replay after failover): do nothing. */
  | { readonly action: 'duplicate' };

/** The RunBook as plain data, to persist with the run records. */
export interface RunBookState {
  /** job → IDs of its active runs. */
  readonly active: Readonly<Record<string, readonly string[]>>;
  /** job → the run waiting for the active one to end. */
  readonly waiting: Readonly<Record<string, RunRequest>>;
}

/**
 * Tracks active and waiting runs per job and decides what a due run does.
 *
 * @example
 * ```ts
 * const d = book.request(job, { runId, trigger: 'schedule' });
 * if (d.action === 'start') launch(runId);
 * // on the run's final outcome:
 * const next = book.finish(job.name, runId);
 * if (next !== null) launch(next.runId);
 * ```
 */
export class RunBook {
  private readonly active = new Map<string, Set<string>>();
  private readonly waiting = new Map<string, RunRequest>();

  constructor(state?: RunBookState) {
    for (const [job, runs] of Object.entries(state?.active ?? {})) this.active.set(job, new Set(runs));
    for (const [job, run] of Object.entries(state?.waiting ?? {})) this.waiting.set(job, run);
  }

  /** Decides for a due run; a `start` marks it active. */
  request(job: { readonly name: string; readonly concurrent: boolean }, run: RunRequest): RunDecision {
    const active = this.active.get(job.name) ?? new Set<string>();
    if (active.has(run.runId) || this.waiting.get(job.name)?.runId === run.runId) return { action: 'duplicate' };
    if (job.concurrent || active.size === 0) {
      this.active.set(job.name, active.add(run.runId));
      return { action: 'start' };
    }
    const current = [...active].join(', ');
    if (run.trigger === 'schedule') {
      return {
        action: 'skip',
        reason: 'previous-run-active',
        message: `${run.runId} skipped: ${current} is still active and job '${job.name}' is not concurrent`,
      };
    }
    const queued = this.waiting.get(job.name);
    if (queued !== undefined) {
      return {
        action: 'skip',
        reason: 'already-waiting',
        message: `${run.runId} skipped: ${queued.runId} already waits for ${current} to end`,
      };
    }
    this.waiting.set(job.name, run);
    return { action: 'wait', behind: current };
  }

  /**
   * Records the final outcome of a run. Returns the run that waited for it,
   * now active and to be started, or null.
   */
  finish(job: string, runId: string): RunRequest | null {
    const active = this.active.get(job);
    active?.delete(runId);
    if (active !== undefined && active.size > 0) return null;
    this.active.delete(job);
    const next = this.waiting.get(job);
    if (next === undefined) return null;
    this.waiting.delete(job);
    this.active.set(job, new Set([next.runId]));
    return next;
  }

  /** The active runs of `job`. */
  activeRuns(job: string): string[] {
    return [...(this.active.get(job) ?? [])];
  }

  /** The run waiting for `job`'s active run to end, or null. */
  waitingRun(job: string): RunRequest | null {
    return this.waiting.get(job) ?? null;
  }

  /** Plain data, to persist. */
  toJSON(): RunBookState {
    return {
      active: Object.fromEntries([...this.active].map(([job, runs]) => [job, [...runs]])),
      waiting: Object.fromEntries(this.waiting),
    };
  }
}
