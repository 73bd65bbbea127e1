// The seam between Chronos' REST API (api/) and its engine (engine/): the API
// parses HTTP and renders; the engine owns jobs, runs, history and the
// cluster. Job JSON crosses it in Chronos' shapes (what GET
// /v1/scheduler/jobs returns), so the API renders nothing twice.

/** A JSON object in Chronos' shape. */
export type Json = Record<string, unknown>;

/** GET /v1/scheduler/jobs/search query. */
export interface JobSearch {
  /** Substring of the name (case-insensitive). */
  name?: string;
  /** Substring of the command. */
  command?: string;
  /** Substring of name, command, description or owner. */
  any?: string;
  limit?: number;
  offset?: number;
}

/** One past or running run of a job, for `job/stat/{name}` and the web page. */
export interface RunHistoryEntry {
  runId: string;
  taskId: string;
  /** Scheduled time (ISO 8601, UTC). */
  scheduledAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** running, success, failure, skipped (with `reason`), killed. */
  outcome: 'running' | 'success' | 'failure' | 'skipped' | 'killed';
  reason?: string;
  attempt: number;
  agentId?: string;
  /** Sandbox file links on the agent (`/files/read?path=...`), when known. */
  stdoutUrl?: string;
  stderrUrl?: string;
}

/**
 * What the REST API needs from the engine. Changing calls resolve once the
 * change is persisted. Errors are typed and carry `status` and a body the
 * API renders: `JobValidationError` (400), `UnknownJobError` (404),
 * `NotLeaderError` (the API redirects to the leader instead).
 */
export interface ChronosService {
  /** GET /v1/scheduler/jobs: every job in Chronos' JSON (with successCount, errorCount, lastSuccess, ...). */
  listJobs(): Json[];
  /** GET /v1/scheduler/jobs/search. */
  searchJobs(query: JobSearch): Json[];
  /** One job, undefined when unknown. */
  getJob(name: string): Json | undefined;
  /** POST/PUT /v1/scheduler/iso8601 (schedule or cron): creates or replaces the job. */
  putScheduledJob(json: unknown): Promise<void>;
  /** POST/PUT /v1/scheduler/dependency: creates or replaces a job run after its parents. */
  putDependentJob(json: unknown): Promise<void>;
  /** DELETE /v1/scheduler/job/{name} (its running tasks are killed). */
  deleteJob(name: string): Promise<void>;
  /** PUT /v1/scheduler/job/{name}: run now (`?arguments=` appended to the command). */
  runJob(name: string, args?: readonly string[]): Promise<{ runId: string }>;
  /** DELETE /v1/scheduler/task/kill/{name}: kills the job's running tasks; resolves with how many. */
  killJobTasks(name: string): Promise<number>;
  /** GET /v1/scheduler/graph/csv: Chronos' `node,<name>,<lastStatus>,<state>` and `link,<parent>,<child>` lines. */
  graphCsv(): string;
  /** GET /v1/scheduler/graph/json: `{nodes: [{name, lastStatus, state}], edges: [{parent, child}]}`. */
  graphJson(): Json;
  /** GET /v1/scheduler/job/stat/{name}: counters and the last runs, newest first; undefined when unknown. */
  jobStats(name: string): { counters: Json; history: RunHistoryEntry[] } | undefined;
  /** Whether this instance leads. */
  isLeader(): boolean;
  /** The leader's base URL, undefined while nobody leads. */
  leaderUrl(): string | undefined;
}
