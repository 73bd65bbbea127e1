// What the engine holds in memory while it leads: the jobs, the dependency
// graph, the runs, the cursors and the histories. The RunBook (which runs
// are active or waiting, per job) is derived from the run records rather
// than stored beside them, so the two can never disagree after a failover.
import type { Logger, ReconcileTask } from '@mesocosm/framework-sdk';
import { type JobDefaults, type JobDefinition } from '../model/job-definition.js';
import { parseJob } from '../model/parse-job.js';
import { parseRunId } from '../schedule/run-ids.js';
import { DependencyGraph, type GraphJob } from '../schedule/dependency-graph.js';
import { RunBook, type RunRequest } from '../schedule/run-book.js';
import { isFinalRun, type LoadedState, type RunRecord } from '../state/records.js';
import { JobHistory } from './job-history.js';
import { RunTable, TrackedMap, TrackedRunSet } from './tracked.js';

/** A job as the engine holds it. */
export interface EngineJob {
  readonly def: JobDefinition;
  /** When it was defined (a cron job's first possible run; kept across restarts). */
  readonly definedAt: number;
}

function parentsOf(def: JobDefinition): readonly string[] {
  return def.trigger.kind === 'dependency' ? def.trigger.parents : [];
}

/** The engine's in-memory state. */
export class EngineState {
  /**
   * Jobs whose wake time may have changed since the engine last looked:
   * every change to a job, its cursor, its runs (added, removed, written to
   * the store) or whether a run is wanted names its job here.
   */
  readonly touched = new Set<string>();
  /** Names a job in {@link EngineState.touched}. */
  readonly touch = (job: string): void => void this.touched.add(job);
  readonly jobs = new TrackedMap<EngineJob>(this.touch);
  readonly runs = new RunTable(this.touch);
  readonly cursors = new TrackedMap<number | null>(this.touch);
  readonly histories = new Map<string, JobHistory>();
  /** Runs whose task is wanted from the Scheduler now (not launched yet). */
  readonly wanted = new TrackedRunSet((runId) => {
    const job = this.runs.get(runId)?.job ?? parseRunId(runId)?.job;
    if (job !== undefined) this.touch(job);
  });
  graph: DependencyGraph = DependencyGraph.empty();

  constructor(readonly historySize: number) {}

  /** The state read from the store; jobs that no longer parse, and runs of unknown jobs, are reported. */
  static restore(
    loaded: LoadedState,
    historySize: number,
    defaults: Partial<JobDefaults>,
    logger: Logger,
  ): EngineState {
    const s = new EngineState(historySize);
    for (const p of loaded.problems) logger.error('unreadable state record left in place', { problem: p });
    for (const [name, rec] of loaded.jobs) {
      try {
        s.jobs.set(name, { def: parseJob(rec.definition, { now: rec.definedAt, defaults }), definedAt: rec.definedAt });
      } catch (err) {
        logger.error('stored job no longer parses; ignored', { job: name, error: String(err) });
      }
    }
    s.graph = buildGraph(s, loaded, logger);
    for (const [name, cursor] of loaded.cursors) if (s.jobs.has(name)) s.cursors.set(name, cursor);
    for (const [id, run] of loaded.runs) s.runs.set(id, run);
    for (const [name, rec] of loaded.histories) s.histories.set(name, new JobHistory(historySize, rec));
    return s;
  }

  /** The job, or undefined. */
  job(name: string): EngineJob | undefined {
    return this.jobs.get(name);
  }

  /** The job's history (created empty on first use). */
  history(job: string): JobHistory {
    let h = this.histories.get(job);
    if (h === undefined) this.histories.set(job, (h = new JobHistory(this.historySize)));
    return h;
  }

  /** The runs of a job, oldest scheduled first. */
  runsOf(job: string): RunRecord[] {
    return this.runs.ofJob(job).sort((a, b) => a.scheduledTime - b.scheduledTime);
  }

  /** Runs not yet final (active or waiting), every job (walks every run: not for per-event work). */
  liveRuns(): RunRecord[] {
    return [...this.runs.values()].filter((r) => !isFinalRun(r.state));
  }

  /** The job's runs not yet final, in the order they were recorded. */
  liveRunsOf(job: string): RunRecord[] {
    return this.runs.ofJob(job).filter((r) => !isFinalRun(r.state));
  }

  /** The RunBook as the run records say, every job (see {@link EngineState.bookOf}). */
  book(): RunBook {
    return bookFrom(this.liveRuns());
  }

  /** The RunBook of one job: active = not final and not waiting; waiting = the oldest waiting run. */
  bookOf(job: string): RunBook {
    return bookFrom(this.liveRunsOf(job));
  }

  /**
   * The tasks to reconcile: runs whose task may exist in the cluster (launched
   * or running, or recorded as launching by an earlier leader), and that are
   * not waiting for an offer in this leader's Scheduler.
   */
  knownTasks(): ReconcileTask[] {
    return this.liveRuns()
      .filter((r) => (r.state === 'launching' || r.state === 'running') && !this.wanted.has(r.runId))
      .map((r) => (r.agentId === undefined ? { taskId: r.taskId } : { taskId: r.taskId, agentId: r.agentId }));
  }
}

// The RunBook of these live runs: active = not waiting; waiting = the oldest waiting run of each job.
function bookFrom(live: readonly RunRecord[]): RunBook {
  const active: Record<string, string[]> = {};
  const waiting: Record<string, RunRequest> = {};
  for (const r of [...live].sort((a, b) => a.scheduledTime - b.scheduledTime)) {
    if (r.state === 'waiting') {
      if (waiting[r.job] === undefined) waiting[r.job] = { runId: r.runId, trigger: r.trigger };
    } else (active[r.job] ??= []).push(r.runId);
  }
  return new RunBook({ active, waiting });
}

// The graph of the stored jobs; a parent that went missing (a damaged store) is dropped with a log line.
function buildGraph(s: EngineState, loaded: LoadedState, logger: Logger): DependencyGraph {
  const jobs: GraphJob[] = [...s.jobs.values()].map((j) => ({ name: j.def.name, parents: parentsOf(j.def) }));
  try {
    return DependencyGraph.build(jobs, loaded.dependencies);
  } catch (err) {
    logger.error('stored dependency graph is inconsistent; dropping unknown parents', { error: String(err) });
    const names = new Set(jobs.map((j) => j.name));
    const kept = jobs.map((j) => ({ name: j.name, parents: (j.parents ?? []).filter((p) => names.has(p)) }));
    return DependencyGraph.build(kept, loaded.dependencies);
  }
}
