// Chronos' typed errors. A job that cannot be accepted is one
// JobValidationError naming every problem at once (an HTTP 400); a single
// malformed schedule, duration or cron expression is an InvalidScheduleError.
import { MesocosmError, ValidationError } from '@mesocosm/framework-sdk';

/** One problem of a job definition: the JSON field and what to fix. */
export interface JobProblem {
  readonly field: string;
  readonly message: string;
}

/** The body of a 400 answer for a refused job. */
export interface JobValidationBody {
  readonly message: string;
  readonly errors: readonly JobProblem[];
}

// Reads as "job: 'nightly' is invalid (2 problems): schedule: ...; cpus: ...".
function summary(job: string | undefined, problems: readonly JobProblem[]): string {
  const list = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `${job === undefined ? '' : `'${job}' `}is invalid (${count}): ${list}`;
}

/**
 * A job definition that cannot be accepted. `problems` lists every problem
 * found (not only the first); `status` is the HTTP status to answer with.
 *
 * @example
 * ```ts
 * try {
 *   parseJob(body, { now: clock.now() });
 * } catch (err) {
 *   if (err instanceof JobValidationError) res.writeHead(err.status).end(JSON.stringify(err.body()));
 * }
 * ```
 */
export class JobValidationError extends ValidationError {
  readonly problems: readonly JobProblem[];
  /** The job's name when it was readable. */
  readonly job: string | undefined;
  readonly status = 400;

  constructor(problems: readonly JobProblem[], job?: string) {
    super('job', summary(job, problems));
    this.problems = problems;
    this.job = job;
  }

  /** The JSON body of the 400 answer. */
  body(): JobValidationBody {
    return { message: this.message, errors: this.problems.map((p) => ({ field: p.field, message: p.message })) };
  }
}

/** A malformed ISO 8601 repeating interval or duration, cron expression or time zone. */
export class InvalidScheduleError extends ValidationError {
  /** The text that was refused. */
  readonly input: string;

  constructor(field: string, input: string, message: string) {
    super(field, `'${input}' ${message}`);
    this.input = input;
  }
}

/** An operation named a job that the dependency graph does not hold. */
export class UnknownJobError extends MesocosmError {
  readonly job: string;
  readonly status = 404;

  constructor(job: string) {
    super('INVALID_ARGUMENT', `job '${job}' does not exist; create it first or check the name`, { details: { job } });
    this.job = job;
  }
}

/** An ACL file (`--http_acls`) or `acls` option that cannot be used; `problems` names every fault. */
export class AclConfigError extends ValidationError {
  readonly problems: readonly JobProblem[];

  /** `source`: the flag or file the rules came from. */
  constructor(problems: readonly JobProblem[], source = 'acls') {
    super(source, problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }
}

/**
 * A request the ACLs (`--http_acls`) do not allow: answered 403 with the
 * API's `{message}` body, naming the principal, the action and the job.
 */
export class JobNotAuthorizedError extends MesocosmError {
  readonly status = 403;
  /** Who asked. */
  readonly principal: string;
  /** What was refused (`run`, `view`, ...). */
  readonly action: string;
  /** The job refused. */
  readonly job: string;

  constructor(principal: string, action: string, job: string) {
    super(
      'PERMISSION_DENIED',
      `principal '${principal}' may not ${action} job '${job}' (ask an operator for a rule in the --http_acls file)`,
      { details: { principal, action, job } },
    );
    this.principal = principal;
    this.action = action;
    this.job = job;
  }
}
