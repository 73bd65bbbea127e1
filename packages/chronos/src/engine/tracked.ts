// Collections that report which job a change concerns, so that the engine
// re-evaluates the wake time of just the jobs that changed (see WakeQueue),
// and the run table indexed by job, so that a job's runs are found without
// walking every run.
import type { RunRecord } from '../state/records.js';

/** Told the name of the job a change concerns. */
export type OnJobChange = (job: string) => void;

/** A map keyed by job name that reports every set and delete. */
export class TrackedMap<V> extends Map<string, V> {
  constructor(private readonly onChange: OnJobChange) {
    super();
  }

  override set(job: string, value: V): this {
    super.set(job, value);
    this.onChange(job);
    return this;
  }

  override delete(job: string): boolean {
    const had = super.delete(job);
    if (had) this.onChange(job);
    return had;
  }
}

/** A set of run IDs that reports the run whose membership changed. */
export class TrackedRunSet extends Set<string> {
  constructor(private readonly onChange: (runId: string) => void) {
    super();
  }

  override add(runId: string): this {
    super.add(runId);
    this.onChange(runId);
    return this;
  }

  override delete(runId: string): boolean {
    const had = super.delete(runId);
    if (had) this.onChange(runId);
    return had;
  }
}

/** The run records by run ID, also indexed by job (in insertion order); every change reports its job. */
export class RunTable extends Map<string, RunRecord> {
  private readonly byJob = new Map<string, Map<string, RunRecord>>();

  constructor(private readonly onChange: OnJobChange) {
    super();
  }

  override set(runId: string, run: RunRecord): this {
    const old = super.get(runId);
    if (old !== undefined && old.job !== run.job) this.unindex(old.job, runId);
    super.set(runId, run);
    let runs = this.byJob.get(run.job);
    if (runs === undefined) this.byJob.set(run.job, (runs = new Map()));
    runs.set(runId, run);
    this.onChange(run.job);
    return this;
  }

  override delete(runId: string): boolean {
    const old = super.get(runId);
    if (old === undefined) return false;
    super.delete(runId);
    this.unindex(old.job, runId);
    this.onChange(old.job);
    return true;
  }

  override clear(): void {
    const jobs = [...this.byJob.keys()];
    super.clear();
    this.byJob.clear();
    for (const job of jobs) this.onChange(job);
  }

  /** The job's runs, in the order they were added. */
  ofJob(job: string): RunRecord[] {
    return [...(this.byJob.get(job)?.values() ?? [])];
  }

  private unindex(job: string, runId: string): void {
    const runs = this.byJob.get(job);
    runs?.delete(runId);
    if (runs?.size === 0) this.byJob.delete(job);
  }
}
