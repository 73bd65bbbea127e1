// What the REST API reads, rendered from the engine's state: jobs in
// Chronos' JSON with their counters, search, the dependency graph as CSV and
// JSON, and a job's stats with its last runs.
import { renderJob, type JobStats } from '../model/render-job.js';
import type { Json, JobSearch, RunHistoryEntry } from '../service/chronos-service.js';
import type { RunRecord } from '../state/records.js';
import type { EngineState } from './engine-state.js';
import { historyEntry } from './job-history.js';

/** Chronos' default page size of job search. */
const SEARCH_LIMIT = 10;

function statsOf(state: EngineState, name: string): JobStats {
  const c = state.history(name).stats();
  return {
    successCount: c.successCount,
    errorCount: c.errorCount,
    lastSuccess: c.lastSuccess,
    lastError: c.lastError,
    errorsSinceLastSuccess: c.errorsSinceLastSuccess,
  };
}

/** One job in Chronos' JSON (the schedule as `R<left>/<next run>/<period>`), or undefined. */
export function jobJson(state: EngineState, name: string): Json | undefined {
  const job = state.job(name);
  if (job === undefined) return undefined;
  return renderJob(job.def, { stats: statsOf(state, name), lastScheduled: state.cursors.get(name) ?? null });
}

/** Every job, by name. */
export function listJobs(state: EngineState): Json[] {
  return [...state.jobs.keys()]
    .sort()
    .map((name) => jobJson(state, name))
    .filter((j): j is Json => j !== undefined);
}

/** Jobs whose fields contain every given filter (case-insensitive), paged (`limit` default 10, as Chronos). */
export function searchJobs(state: EngineState, q: JobSearch): Json[] {
  const has = (text: string, part: string | undefined): boolean =>
    part === undefined || part === '' || text.toLowerCase().includes(part.toLowerCase());
  const offset = Math.max(0, q.offset ?? 0);
  const limit = Math.max(0, q.limit ?? SEARCH_LIMIT);
  const names = [...state.jobs.values()]
    .filter(({ def }) => has(def.name, q.name) && has(def.command, q.command))
    .filter(({ def }) => [def.name, def.command, def.description, def.owner].some((f) => has(f, q.any)))
    .map(({ def }) => def.name)
    .sort();
  return names
    .slice(offset, offset + limit)
    .map((name) => jobJson(state, name))
    .filter((j): j is Json => j !== undefined);
}

/** Chronos' node status: `success` or `failure` (the later of the two), `fresh` when it never ended. */
function lastStatus(state: EngineState, name: string): string {
  const c = state.history(name).stats();
  if (c.lastSuccess === '' && c.lastError === '') return 'fresh';
  return c.lastSuccess >= c.lastError ? 'success' : 'failure';
}

/** Chronos' node state: `running` (a task runs), `queued` (a run waits to start) or `idle`. */
function nodeState(state: EngineState, name: string): string {
  const live = state.liveRunsOf(name);
  if (live.some((r) => r.state === 'running')) return 'running';
  return live.length > 0 ? 'queued' : 'idle';
}

/** GET /v1/scheduler/graph/json. */
export function graphJson(state: EngineState): Json {
  const names = [...state.jobs.keys()].sort();
  return {
    nodes: names.map((name) => ({ name, lastStatus: lastStatus(state, name), state: nodeState(state, name) })),
    edges: names.flatMap((child) => state.graph.parents(child).map((parent) => ({ parent, child }))),
  };
}

/** GET /v1/scheduler/graph/csv: `node,<name>,<lastStatus>,<state>` lines, then `link,<parent>,<child>` lines. */
export function graphCsv(state: EngineState): string {
  const g = graphJson(state) as { nodes: Array<Record<string, string>>; edges: Array<Record<string, string>> };
  const lines = [
    ...g.nodes.map((n) => `node,${n['name'] ?? ''},${n['lastStatus'] ?? ''},${n['state'] ?? ''}`),
    ...g.edges.map((e) => `link,${e['parent'] ?? ''},${e['child'] ?? ''}`),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

function liveReason(run: RunRecord): string {
  switch (run.state) {
    case 'waiting':
      return 'waiting for the previous run to end (concurrent: false)';
    case 'retrying':
      return `attempt ${run.attempt} starts at ${new Date(run.notBefore ?? 0).toISOString()} (${run.reason ?? 'previous attempt failed'})`;
    case 'launching':
      return run.agentId === undefined ? 'waiting for an offer' : 'launched';
    default:
      return 'running';
  }
}

/** GET /v1/scheduler/job/stat/{name}: counters, then the live runs and the last finished ones, newest first. */
export function jobStats(
  state: EngineState,
  name: string,
  frameworkId: string | undefined,
): { counters: Json; history: RunHistoryEntry[] } | undefined {
  if (state.job(name) === undefined) return undefined;
  const live = state
    .liveRunsOf(name)
    .sort((a, b) => b.scheduledTime - a.scheduledTime)
    .map((r) => historyEntry(r, 'running', frameworkId, liveReason(r)));
  const counters = { ...state.history(name).stats(), liveRuns: live.length };
  return { counters, history: [...live, ...state.history(name).list()] };
}
