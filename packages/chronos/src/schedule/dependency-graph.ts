// The graph of dependent jobs (edges parent → child) and the state of which
// parents have succeeded since each child's last run. A child becomes ready
// once every parent has succeeded since its last run; it is ready exactly
// once per complete set (the set starts afresh when it fires, not when the
// child's task starts, so a parent success in between counts towards the next
// run instead of being lost as in Chronos). A parent's failure changes nothing.
import { ValidationError } from '@mesocosm/framework-sdk';
import { JobValidationError, UnknownJobError, type JobProblem } from '../errors.js';
import {
  restoreState,
  snapshot,
  type DependencyState,
  type MutableChildState,
  type ReadyChild,
} from './dependency-state.js';
import { findCycles, formatCycle, pathBetween } from './graph-cycles.js';
import { parseRunId, runIdFor } from './run-ids.js';

/** A job as the graph needs it: its name and parents (none for a scheduled job). */
export interface GraphJob {
  readonly name: string;
  readonly parents?: readonly string[];
}

function scheduledTimeOf(runId: string): number {
  const run = parseRunId(runId);
  if (run === null) throw new ValidationError('runId', `'${runId}' is not a run ID (<job>@<millis>)`);
  return run.scheduledTime;
}

/**
 * Jobs and their dependencies, with the persisted per-child state.
 *
 * @example
 * ```ts
 * const graph = DependencyGraph.build(jobs.map((j) => ({ name: j.name, parents: parentsOf(j) })), stored);
 * for (const ready of graph.onSuccess('extract', 'extract@1796083200000', status.timestamp)) launch(ready);
 * await store.put('dependencies', graph.toJSON());
 * ```
 */
export class DependencyGraph {
  private readonly parentsOf = new Map<string, readonly string[]>();
  private readonly childrenOf = new Map<string, Set<string>>();
  private readonly states: Map<string, MutableChildState>;

  private constructor(state: DependencyState | undefined) {
    this.states = restoreState(state);
  }

  /** An empty graph. */
  static empty(): DependencyGraph {
    return new DependencyGraph(undefined);
  }

  /**
   * A graph of `jobs`, with state restored from {@link DependencyGraph.toJSON}.
   * Throws a JobValidationError naming every unknown parent and every cycle.
   */
  static build(jobs: Iterable<GraphJob>, state?: DependencyState): DependencyGraph {
    const graph = new DependencyGraph(state);
    const list = [...jobs];
    for (const job of list) graph.link(job.name, []);
    const problems: JobProblem[] = [];
    for (const job of list) {
      const parents = job.parents ?? [];
      for (const parent of parents) {
        if (!graph.parentsOf.has(parent))
          problems.push({ field: `${job.name}.parents`, message: `parent '${parent}' does not exist` });
      }
      graph.link(
        job.name,
        parents.filter((p) => graph.parentsOf.has(p)),
      );
    }
    for (const cycle of graph.cycles())
      problems.push({ field: 'parents', message: `dependency cycle ${formatCycle(cycle)}` });
    if (problems.length > 0) throw new JobValidationError(problems);
    graph.pruneStates();
    return graph;
  }

  /** True when the graph holds `job`. */
  has(job: string): boolean {
    return this.parentsOf.has(job);
  }

  /** Every job, in insertion order. */
  jobs(): string[] {
    return [...this.parentsOf.keys()];
  }

  /** The parents of `job`. */
  parents(job: string): readonly string[] {
    const parents = this.parentsOf.get(job);
    if (parents === undefined) throw new UnknownJobError(job);
    return parents;
  }

  /** The jobs that depend directly on `job`. */
  children(job: string): string[] {
    if (!this.has(job)) throw new UnknownJobError(job);
    return [...(this.childrenOf.get(job) ?? [])].sort();
  }

  /**
   * Adds `job`, or changes its parents. Refuses (JobValidationError, nothing
   * changed) unknown parents, itself as parent, and parents that would close
   * a cycle, naming it (`a -> b -> a`).
   */
  set(job: string, parents: readonly string[] = []): void {
    const problems: JobProblem[] = [];
    for (const parent of parents) {
      if (parent === job) problems.push({ field: 'parents', message: `dependency cycle ${formatCycle([job, job])}` });
      else if (!this.has(parent))
        problems.push({ field: 'parents', message: `parent '${parent}' does not exist; create it first` });
      else {
        const path = this.has(job) ? pathBetween((j) => this.children(j), job, parent) : null;
        if (path !== null)
          problems.push({ field: 'parents', message: `dependency cycle ${formatCycle([...path, job])}` });
      }
    }
    if (problems.length > 0) throw new JobValidationError(problems, job);
    this.link(job, [...new Set(parents)]);
    this.pruneStates();
  }

  /** Removes `job`. Refuses while other jobs depend on it: change their parents first. */
  remove(job: string): void {
    const children = this.children(job);
    if (children.length > 0) {
      throw new JobValidationError(
        [
          {
            field: 'name',
            message: `is a parent of ${children.join(', ')}: change their parents or remove them first`,
          },
        ],
        job,
      );
    }
    this.link(job, []);
    this.parentsOf.delete(job);
    this.childrenOf.delete(job);
    this.states.delete(job);
  }

  /** Every cycle, each as `[a, b, ..., a]` (always empty for a graph built through `set`). */
  cycles(): string[][] {
    return findCycles((j) => this.children(j), this.jobs());
  }

  /**
   * Records that run `parentRunId` of `parent` succeeded, and returns the
   * children that are now ready, each with its run scheduled at `at`. Pass as
   * `at` a time every leader sees alike (the TASK_FINISHED status timestamp),
   * so that the child's run ID is the same whoever processes the success.
   * A success of a run no later than one already counted for a child (a
   * redelivered status update) changes nothing for that child.
   */
  onSuccess(parent: string, parentRunId: string, at: number): ReadyChild[] {
    const time = scheduledTimeOf(parentRunId);
    const ready: ReadyChild[] = [];
    for (const child of this.children(parent)) {
      const state = this.stateOf(child);
      const seen = state.seen.get(parent);
      if (seen !== undefined && scheduledTimeOf(seen) >= time) continue;
      state.seen.set(parent, parentRunId);
      state.since.set(parent, parentRunId);
      if (this.parents(child).every((p) => state.since.has(p))) {
        ready.push({
          job: child,
          runId: runIdFor(child, at),
          scheduledTime: at,
          parentRuns: Object.fromEntries(state.since),
        });
        state.since.clear();
      }
    }
    return ready;
  }

  /** The parents `child` still waits for before its next run. */
  waitingOn(child: string): string[] {
    const since = this.states.get(child)?.since;
    return this.parents(child).filter((p) => !since?.has(p));
  }

  /** Starts `child`'s set afresh (after a manual run, which stands for a complete set). */
  resetChild(child: string): void {
    if (!this.has(child)) throw new UnknownJobError(child);
    this.states.get(child)?.since.clear();
  }

  /** The per-child state as plain data, to persist. */
  toJSON(): DependencyState {
    return snapshot(this.states);
  }

  private stateOf(child: string): MutableChildState {
    let state = this.states.get(child);
    if (state === undefined) {
      state = { since: new Map(), seen: new Map() };
      this.states.set(child, state);
    }
    return state;
  }

  private link(job: string, parents: readonly string[]): void {
    for (const old of this.parentsOf.get(job) ?? []) this.childrenOf.get(old)?.delete(job);
    this.parentsOf.set(job, parents);
    for (const parent of parents) {
      let set = this.childrenOf.get(parent);
      if (set === undefined) this.childrenOf.set(parent, (set = new Set()));
      set.add(job);
    }
  }

  // Drops state of jobs and parent links that no longer exist.
  private pruneStates(): void {
    for (const [child, state] of this.states) {
      const parents = this.parentsOf.get(child);
      if (parents === undefined) {
        this.states.delete(child);
        continue;
      }
      for (const map of [state.since, state.seen]) for (const p of map.keys()) if (!parents.includes(p)) map.delete(p);
    }
  }
}
