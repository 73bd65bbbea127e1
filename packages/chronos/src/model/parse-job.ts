// parseJob: Chronos job JSON, as users already write it, to a JobDefinition.
// Unknown fields are ignored, as Chronos ignores them; the statistics fields
// GET jobs returns (successCount, lastError, ...) are accepted and dropped, so
// that a listed job can be posted back unchanged.
import { JobValidationError } from '../errors.js';
import {
  CHRONOS_DEFAULTS,
  MAX_JOB_NAME_LENGTH,
  isValidJobName,
  type JobDefaults,
  type JobDefinition,
} from './job-definition.js';
import { readConstraints, readContainer, readEnvironment, readFetch } from './parse-parts.js';
import { readCatchUp, readEpsilon, readTrigger } from './parse-trigger.js';
import { Problems, isObject, jsonType, readArray, readBoolean, readNumber, readString, stringItem } from './readers.js';

/** Options of {@link parseJob}. */
export interface ParseJobOptions {
  /** The current time: an empty schedule start means now; a cron job's runs begin after now. */
  readonly now: number;
  /** Operator defaults (Chronos' `--mesos_task_cpu`, `--task_epsilon`, ...); Chronos' own otherwise. */
  readonly defaults?: Partial<JobDefaults>;
}

function readName(job: Record<string, unknown>, p: Problems): string {
  const name = readString(job, 'name', p);
  if (name === '') p.add('name', 'is required');
  else if (name.length > MAX_JOB_NAME_LENGTH)
    p.add('name', `is ${name.length} characters; at most ${MAX_JOB_NAME_LENGTH}`);
  else if (!isValidJobName(name)) {
    p.add('name', `'${name}' may contain only letters, digits, '_', '.' and '-' (Chronos' rule)`);
  }
  return name;
}

/**
 * Parses and validates a job. Throws a {@link JobValidationError} (a 400)
 * that names every problem when the job cannot be accepted.
 *
 * @example
 * ```ts
 * const job = parseJob(
 *   { name: 'backup', command: 'backup.sh', schedule: 'R/2026-12-01T02:00:00/P1D', scheduleTimeZone: 'Europe/Berlin' },
 *   { now: clock.now() },
 * );
 * job.retries; // 2, Chronos' default
 * ```
 */
export function parseJob(json: unknown, options: ParseJobOptions): JobDefinition {
  const defaults: JobDefaults = { ...CHRONOS_DEFAULTS, ...options.defaults };
  if (!isObject(json))
    throw new JobValidationError([{ field: 'job', message: `must be a JSON object, got ${jsonType(json)}` }]);
  const p = new Problems();
  const name = readName(json, p);
  const command = readString(json, 'command', p);
  const container = readContainer(json, p);
  if (!('command' in json) || (command.trim() === '' && container === null)) {
    p.add('command', 'is required: the shell command to run (or the executable when shell is false)');
  }
  const uris = readArray(json, 'uris', p, stringItem(p));
  const fetch = readFetch(json, p);
  if (uris.length > 0 && fetch.length > 0) p.add('uris', 'give either uris (deprecated) or fetch, not both');
  const trigger = readTrigger(json, name, options.now, p);
  const job = {
    name,
    description: readString(json, 'description', p),
    owner: readString(json, 'owner', p),
    ownerName: readString(json, 'ownerName', p),
    command,
    shell: readBoolean(json, 'shell', p, true),
    arguments: readArray(json, 'arguments', p, stringItem(p)),
    ...readEpsilon(json, defaults, p),
    catchUp: readCatchUp(json, defaults, p),
    retries: readNumber(json, 'retries', p, defaults.retries, { integer: true }),
    async: readBoolean(json, 'async', p, false),
    disabled: readBoolean(json, 'disabled', p, false),
    concurrent: readBoolean(json, 'concurrent', p, false),
    cpus: readNumber(json, 'cpus', p, defaults.cpus, { zeroMeansDefault: true }),
    mem: readNumber(json, 'mem', p, defaults.mem, { zeroMeansDefault: true }),
    disk: readNumber(json, 'disk', p, defaults.disk, { zeroMeansDefault: true }),
    container,
    environmentVariables: readEnvironment(json, p),
    uris,
    fetch,
    constraints: readConstraints(json, p),
    runAsUser: readString(json, 'runAsUser', p),
    highPriority: readBoolean(json, 'highPriority', p, false),
    maxCompletionTime: readNumber(json, 'maxCompletionTime', p, 0, { integer: true }),
  };
  if (p.list.length > 0 || trigger === undefined) {
    throw new JobValidationError(p.list, isValidJobName(name) ? name : undefined);
  }
  return { ...job, trigger };
}
