// The store as the engine writes to it, reporting the job of every record
// written: a run record changed in place (its state, its backoff) is always
// written before the operation that changed it ends, so the job's wake time
// is re-evaluated (see EngineState.touched) without walking every job.
import type { ChronosStore } from '../state/chronos-store.js';
import { parseRunId } from '../schedule/run-ids.js';
import type { OnJobChange } from './tracked.js';

/** The writes the engine makes. */
export type EngineStore = Pick<
  ChronosStore,
  'putJob' | 'deleteJob' | 'putCursor' | 'createRun' | 'putRun' | 'deleteRun' | 'putHistory' | 'putGraph'
>;

/** `store`, telling `touch` the job of each job, cursor or run record written (before writing it). */
export function trackedStore(store: ChronosStore, touch: OnJobChange): EngineStore {
  const runJob = (runId: string): void => {
    const job = parseRunId(runId)?.job;
    if (job !== undefined) touch(job);
  };
  return {
    putJob: (name, job) => (touch(name), store.putJob(name, job)),
    deleteJob: (name) => (touch(name), store.deleteJob(name)),
    putCursor: (job, lastScheduled) => (touch(job), store.putCursor(job, lastScheduled)),
    createRun: (run) => (touch(run.job), store.createRun(run)),
    putRun: (run) => (touch(run.job), store.putRun(run)),
    deleteRun: (runId) => (runJob(runId), store.deleteRun(runId)),
    putHistory: (job, history) => store.putHistory(job, history),
    putGraph: (dependencies) => store.putGraph(dependencies),
  };
}
