// What Chronos keeps in its state store, one record per thing that changes
// on its own, and the readers that validate a stored value back into a type
// (a record written by an older or broken instance is reported, not trusted).
//
//   jobs/<name>       {definition, definedAt}: the job as Chronos JSON (renderJob), and when it was defined
//   cursors/<name>    {lastScheduled}: the scheduled time of the last run dealt with (started or skipped)
//   runs/<runId>      RunRecord: created (create-if-absent) BEFORE the run's task is launched
//   history/<name>    {counters, entries}: the job's last N finished runs and its counters
//   engine/graph      {dependencies}: DependencyGraph.toJSON()
//   framework/id      the framework ID (FrameworkIdStore)
import type { DependencyState } from '../schedule/dependency-state.js';
import type { RunTrigger } from '../schedule/run-book.js';
import type { RunHistoryEntry } from '../service/chronos-service.js';

/** Collection names. */
export const COLLECTIONS = {
  jobs: 'jobs',
  cursors: 'cursors',
  runs: 'runs',
  history: 'history',
  engine: 'engine',
} as const;

/** The key of the dependency graph's state in the `engine` collection. */
export const GRAPH_KEY = 'graph';

/** A job as stored: its Chronos JSON and the time it was defined (a cron job's runs start then). */
export interface JobRecord {
  readonly definition: Record<string, unknown>;
  readonly definedAt: number;
}

/**
 * Where a run stands.
 * - `waiting`: behind an active run of a non-concurrent job (RunBook);
 * - `launching`: its current attempt's task is wanted or launched, not yet seen running;
 * - `running`: the task was reported staging, starting or running;
 * - `retrying`: an attempt failed; the next one starts at `notBefore`;
 * - `success`, `failure`, `killed`, `skipped`: final.
 */
export type RunState = 'waiting' | 'launching' | 'running' | 'retrying' | 'success' | 'failure' | 'killed' | 'skipped';

/** The final states. */
export const FINAL_RUN_STATES: readonly RunState[] = ['success', 'failure', 'killed', 'skipped'];

/** True when the run has its final outcome. */
export function isFinalRun(state: RunState): boolean {
  return FINAL_RUN_STATES.includes(state);
}

/** One run of a job, as stored under `runs/<runId>`. */
export interface RunRecord {
  readonly runId: string;
  readonly job: string;
  /** Epoch ms (for a manual run, when it was asked for; for a dependent run, its parent's success). */
  readonly scheduledTime: number;
  readonly trigger: RunTrigger;
  state: RunState;
  /** The current attempt (0-based); its task ID is `taskIdFor(runId, attempt)`. */
  attempt: number;
  taskId: string;
  readonly createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** `retrying`: the next attempt starts no earlier than this. */
  notBefore?: number;
  agentId?: string;
  hostname?: string;
  /** The agent's HTTP base URL (from the offer). */
  agentUrl?: string;
  /** Manual runs: `?arguments=` appended to the command. */
  args?: string[];
  /** parent → its run whose success started this one. */
  parentRuns?: Record<string, string>;
  /** Why it ended (skip reason, failure message). */
  reason?: string;
  killRequested?: boolean;
}

/** A job's counters, as Chronos reports them (plus `skippedCount`). */
export interface JobCounters {
  successCount: number;
  errorCount: number;
  skippedCount: number;
  /** ISO 8601, or ''. */
  lastSuccess: string;
  lastError: string;
  errorsSinceLastSuccess: number;
}

/** `history/<name>`. */
export interface HistoryRecord {
  readonly counters: JobCounters;
  /** Newest first. */
  readonly entries: readonly RunHistoryEntry[];
}

/** The state as read at election. */
export interface LoadedState {
  readonly jobs: Map<string, JobRecord>;
  readonly cursors: Map<string, number | null>;
  readonly runs: Map<string, RunRecord>;
  readonly histories: Map<string, HistoryRecord>;
  readonly dependencies: DependencyState;
  /** Records that could not be read, with why (they are left in place and logged). */
  readonly problems: string[];
}

/** Counters of a job that has not run yet. */
export function emptyCounters(): JobCounters {
  return {
    successCount: 0,
    errorCount: 0,
    skippedCount: 0,
    lastSuccess: '',
    lastError: '',
    errorsSinceLastSuccess: 0,
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';

const TRIGGERS: readonly RunTrigger[] = ['schedule', 'dependency', 'manual'];
const STATES: readonly RunState[] = [
  'waiting',
  'launching',
  'running',
  'retrying',
  'success',
  'failure',
  'killed',
  'skipped',
];

/** A stored job, or a sentence saying what is wrong with it. */
export function readJobRecord(value: unknown): JobRecord | string {
  if (!isObj(value) || !isObj(value['definition']) || !num(value['definedAt'])) {
    return 'expected {definition: {...}, definedAt: millis}';
  }
  return { definition: value['definition'], definedAt: value['definedAt'] };
}

/** A stored cursor, or a sentence saying what is wrong with it. */
export function readCursor(value: unknown): number | null | string {
  if (!isObj(value)) return 'expected {lastScheduled}';
  const t = value['lastScheduled'];
  if (t === null || num(t)) return t;
  return 'lastScheduled must be a number or null';
}

/** A stored run, or a sentence saying what is wrong with it. */
export function readRunRecord(value: unknown): RunRecord | string {
  if (!isObj(value)) return 'expected an object';
  const v = value;
  if (!str(v['runId']) || !str(v['job']) || !str(v['taskId'])) return 'runId, job and taskId must be strings';
  if (!num(v['scheduledTime']) || !num(v['attempt']) || !num(v['createdAt'])) {
    return 'scheduledTime, attempt and createdAt must be numbers';
  }
  const trigger = TRIGGERS.find((t) => t === v['trigger']);
  const state = STATES.find((s) => s === v['state']);
  if (trigger === undefined || state === undefined) return `unknown trigger or state`;
  const run: RunRecord = {
    runId: v['runId'],
    job: v['job'],
    scheduledTime: v['scheduledTime'],
    trigger,
    state,
    attempt: v['attempt'],
    taskId: v['taskId'],
    createdAt: v['createdAt'],
  };
  for (const k of ['startedAt', 'finishedAt', 'notBefore'] as const) {
    const t = v[k];
    if (num(t)) run[k] = t;
  }
  for (const k of ['agentId', 'hostname', 'agentUrl', 'reason'] as const) {
    const s = v[k];
    if (str(s)) run[k] = s;
  }
  if (Array.isArray(v['args'])) run.args = v['args'].filter(str);
  if (isObj(v['parentRuns'])) {
    run.parentRuns = Object.fromEntries(
      Object.entries(v['parentRuns']).filter((e): e is [string, string] => str(e[1])),
    );
  }
  if (v['killRequested'] === true) run.killRequested = true;
  return run;
}

/** A stored history, or a sentence saying what is wrong with it. */
export function readHistoryRecord(value: unknown): HistoryRecord | string {
  if (!isObj(value) || !isObj(value['counters']) || !Array.isArray(value['entries'])) {
    return 'expected {counters, entries}';
  }
  const c = value['counters'];
  const counters = emptyCounters();
  for (const k of ['successCount', 'errorCount', 'skippedCount', 'errorsSinceLastSuccess'] as const) {
    const n = c[k];
    if (num(n)) counters[k] = n;
  }
  for (const k of ['lastSuccess', 'lastError'] as const) {
    const s = c[k];
    if (str(s)) counters[k] = s;
  }
  // Entries are our own shape; keep the ones that have the fields every reader needs.
  const entries = value['entries'].filter(
    (e): e is RunHistoryEntry => isObj(e) && str(e['runId']) && str(e['outcome']) && str(e['scheduledAt']),
  );
  return { counters, entries };
}
