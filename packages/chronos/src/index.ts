/**
 * Chronos on Mesocosm: batch and cron jobs with Chronos' job JSON. This entry
 * point exports the pure core: job definitions (parse, defaults, validation,
 * rendering), schedules (ISO 8601 intervals and cron in any time zone,
 * catch-up of missed runs), the dependency graph, run and task IDs, retries
 * and the concurrency RunBook. Time always comes in as an argument.
 *
 * @example
 * ```ts
 * import { parseJob, dueRuns, taskIdFor } from '@mesocosm/chronos';
 *
 * const job = parseJob({ name: 'backup', command: 'backup.sh', schedule: 'R/2026-12-01T02:00:00/P1D',
 *   scheduleTimeZone: 'Europe/Berlin' }, { now: clock.now() });
 * const due = dueRuns(job, lastScheduled, clock.now());
 * for (const run of due.start) launch(taskIdFor(run.runId, 0));
 * ```
 *
 * @module
 */

// Errors.
export {
  JobValidationError,
  InvalidScheduleError,
  UnknownJobError,
  type JobProblem,
  type JobValidationBody,
} from './errors.js';

// Job definitions.
export {
  type JobDefinition,
  type JobTrigger,
  type JobDefaults,
  type CatchUpPolicy,
  type ContainerSpec,
  type VolumeSpec,
  type KeyValue,
  type EnvironmentVariable,
  type FetchSpec,
  type Constraint,
  type ConstraintOperator,
  CATCH_UP_POLICIES,
  CHRONOS_DEFAULTS,
  JOB_NAME_PATTERN,
  MAX_JOB_NAME_LENGTH,
  isValidJobName,
} from './model/job-definition.js';
export { parseJob, type ParseJobOptions } from './model/parse-job.js';
export { renderJob, type RenderJobOptions, type JobStats } from './model/render-job.js';

// Schedules.
export { type Period, parsePeriod, parseFixedDuration, formatPeriod } from './schedule/iso-duration.js';
export {
  type RepeatingInterval,
  type ParseScheduleOptions,
  parseSchedule,
  formatSchedule,
} from './schedule/iso-interval.js';
export { occurrenceAt, firstIndexAfter } from './schedule/occurrences.js';
export { validateTimeZone } from './schedule/zones.js';
export { validateCron } from './schedule/cron.js';
export { nextRuns } from './schedule/next-runs.js';
export {
  dueRuns,
  startDeadline,
  type DueRun,
  type DueRuns,
  type DueRunsOptions,
  type SkippedRun,
  type SkipReason,
} from './schedule/due-runs.js';

// Dependencies.
export { DependencyGraph, type GraphJob } from './schedule/dependency-graph.js';
export { type DependencyState, type ChildDependencyState, type ReadyChild } from './schedule/dependency-state.js';

// Runs: IDs, retries, concurrency.
export { runIdFor, parseRunId, taskIdFor, parseTaskId, type RunRef, type TaskRef } from './schedule/run-ids.js';
export { retryDelay, nextAttempt, DEFAULT_RETRY_POLICY, type RetryPolicy, type NextAttempt } from './schedule/retry.js';
export { RunBook, type RunBookState, type RunDecision, type RunRequest, type RunTrigger } from './schedule/run-book.js';

// The service seam between the REST API and the engine.
export type { ChronosService, Json, JobSearch, RunHistoryEntry } from './service/chronos-service.js';

// A Chronos instance: election, state, subscription, scheduling.
export { Chronos, type ChronosOptions, DEFAULT_FAILOVER_TIMEOUT_SECONDS } from './chronos.js';

// The engine (one leader's scheduling), its cluster port and its state.
export { ChronosEngine, type EngineOptions, DEFAULT_HISTORY_SIZE } from './engine/engine.js';
export { EngineService, type LeadershipView } from './engine/engine-service.js';
export { type TaskPort, schedulerPort } from './engine/task-port.js';
export { buildTask, taskCommand, taskEnvironment, type TaskAttempt } from './engine/task-builder.js';
export { sandboxFileUrl } from './engine/job-history.js';
export { FINISHED_RUNS_KEPT } from './engine/run-lifecycle.js';
export { ChronosStore } from './state/chronos-store.js';
export {
  COLLECTIONS,
  GRAPH_KEY,
  isFinalRun,
  type RunRecord,
  type RunState,
  type JobRecord,
  type HistoryRecord,
  type JobCounters,
  type LoadedState,
} from './state/records.js';

// REST API.
export {
  startChronosHttp,
  type ChronosHttp,
  type ChronosHttpOptions,
  MAX_BODY_BYTES,
  API_PREFIXES,
} from './api/index.js';

// REST API authentication (HTTP basic, bearer tokens) and per-job ACLs.
// (Credentials, their parsing and CredentialsError are the SDK's: @mesocosm/framework-sdk.)
export { AclConfigError, JobNotAuthorizedError } from './errors.js';
export { API_ACTIONS, ApiAcl, aclNameMatches, parseAclRules, type ApiAction, type AclRule } from './model/api-acl.js';
export {
  ApiGuard,
  DEFAULT_REALM,
  loadApiAuth,
  AuthorizedChronosService,
  type ApiAuthOptions,
  type ApiAuthSources,
} from './api/index.js';
