// The persisted part of the dependency graph: for each dependent job, which
// parents have succeeded since its last run. Plain, serialisable data, so a
// new leader restores it from ZooKeeper and a DAG half-way through neither
// loses nor repeats the child's run.

/** What one dependent job has seen of its parents. */
export interface ChildDependencyState {
  /** parent → the run ID of its success counted since the child last ran. */
  readonly since: Readonly<Record<string, string>>;
  /**
   * parent → the latest parent run ever counted for this child (kept when the
   * child runs): a success of that run or an earlier one is a redelivery or
   * stale, and is not counted again.
   */
  readonly seen: Readonly<Record<string, string>>;
}

/** child → its state. Children without any parent success yet are absent. */
export type DependencyState = Readonly<Record<string, ChildDependencyState>>;

/** A dependent job whose parents have all succeeded since its last run: start it. */
export interface ReadyChild {
  readonly job: string;
  /** The child's run, scheduled at the time passed to `onSuccess`. */
  readonly runId: string;
  readonly scheduledTime: number;
  /** parent → the run whose success counted towards this run. */
  readonly parentRuns: Readonly<Record<string, string>>;
}

/** The mutable form used inside the graph. */
export interface MutableChildState {
  since: Map<string, string>;
  seen: Map<string, string>;
}

/** Plain data from the internal maps (omitting children with nothing seen). */
export function snapshot(states: ReadonlyMap<string, MutableChildState>): DependencyState {
  const out: Record<string, ChildDependencyState> = {};
  for (const [child, s] of [...states].sort(([a], [b]) => a.localeCompare(b))) {
    if (s.seen.size === 0 && s.since.size === 0) continue;
    out[child] = { since: Object.fromEntries(s.since), seen: Object.fromEntries(s.seen) };
  }
  return out;
}

/** Internal maps from plain data (entries for parents no longer linked are dropped by the graph). */
export function restoreState(state: DependencyState | undefined): Map<string, MutableChildState> {
  const out = new Map<string, MutableChildState>();
  for (const [child, s] of Object.entries(state ?? {})) {
    out.set(child, { since: new Map(Object.entries(s.since)), seen: new Map(Object.entries(s.seen)) });
  }
  return out;
}
