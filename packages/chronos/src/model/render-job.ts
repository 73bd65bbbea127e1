// renderJob: a JobDefinition as Chronos' GET /v1/scheduler/jobs lists it.
// Posting the result back gives the same job (parse-job.ts accepts the
// statistics fields and ignores them).
import { formatSchedule } from '../schedule/iso-interval.js';
import { firstIndexAfter, occurrenceAt } from '../schedule/occurrences.js';
import type { JobDefinition } from './job-definition.js';

/** A job's run statistics, as Chronos reports them alongside the definition. */
export interface JobStats {
  readonly successCount: number;
  readonly errorCount: number;
  /** ISO 8601 time of the last success, or ''. */
  readonly lastSuccess: string;
  readonly lastError: string;
  readonly errorsSinceLastSuccess: number;
}

/** Options of {@link renderJob}. */
export interface RenderJobOptions {
  readonly stats?: JobStats;
  /**
   * The scheduled time of the last run dealt with (started or skipped). When
   * given, `schedule` is rewritten as Chronos does: `R<runs left>/<next run>/<period>`.
   */
  readonly lastScheduled?: number | null;
}

const NO_STATS: JobStats = {
  successCount: 0,
  errorCount: 0,
  lastSuccess: '',
  lastError: '',
  errorsSinceLastSuccess: 0,
};

function triggerFields(job: JobDefinition, lastScheduled: number | null | undefined): Record<string, unknown> {
  const t = job.trigger;
  if (t.kind === 'dependency') return { parents: [...t.parents] };
  if (t.kind === 'cron') return { cron: t.expression, scheduleTimeZone: t.timeZone };
  const zone = t.interval.timeZone.startsWith('UTC') ? '' : t.interval.timeZone;
  if (lastScheduled === undefined || lastScheduled === null) {
    return { schedule: formatSchedule(t.interval), scheduleTimeZone: zone };
  }
  const index = firstIndexAfter(t.interval, lastScheduled);
  return {
    schedule: formatSchedule(t.interval, { index, at: occurrenceAt(t.interval, index) }),
    scheduleTimeZone: zone,
  };
}

/**
 * Chronos' JSON for a job (the fields of GET /v1/scheduler/jobs, plus
 * `catchUp`, which Chronos does not have).
 *
 * @example
 * ```ts
 * const listed = jobs.map((j) => renderJob(j, { stats: stats.get(j.name), lastScheduled: cursors.get(j.name) }));
 * ```
 */
export function renderJob(job: JobDefinition, options: RenderJobOptions = {}): Record<string, unknown> {
  const stats = options.stats ?? NO_STATS;
  const out: Record<string, unknown> = {
    name: job.name,
    command: job.command,
    shell: job.shell,
    epsilon: job.epsilon,
    executor: '',
    executorFlags: '',
    retries: job.retries,
    owner: job.owner,
    ownerName: job.ownerName,
    description: job.description,
    async: job.async,
    successCount: stats.successCount,
    errorCount: stats.errorCount,
    lastSuccess: stats.lastSuccess,
    lastError: stats.lastError,
    cpus: job.cpus,
    disk: job.disk,
    mem: job.mem,
    disabled: job.disabled,
    softError: false,
    dataProcessingJobType: false,
    errorsSinceLastSuccess: stats.errorsSinceLastSuccess,
    fetch: job.fetch.map((f) => ({
      uri: f.uri,
      executable: f.executable,
      cache: f.cache,
      extract: f.extract,
      ...(f.outputFile === undefined ? {} : { output_file: f.outputFile }),
    })),
    uris: [...job.uris],
    environmentVariables: job.environmentVariables.map((e) => ({ name: e.name, value: e.value })),
    arguments: [...job.arguments],
    highPriority: job.highPriority,
    runAsUser: job.runAsUser,
    concurrent: job.concurrent,
    maxCompletionTime: job.maxCompletionTime,
    constraints: job.constraints.map((c) => [c.attribute, c.operator, c.value]),
    catchUp: job.catchUp,
  };
  if (job.container !== null) {
    const c = job.container;
    out['container'] = {
      type: c.type,
      image: c.image,
      network: c.network,
      volumes: c.volumes.map((v) => ({ ...v })),
      forcePullImage: c.forcePullImage,
      parameters: c.parameters.map((kv) => ({ ...kv })),
    };
  }
  return { ...out, ...triggerFields(job, options.lastScheduled) };
}
