// Errors of the operator verbs (agents, tasks, logs, drain, ...). Each says
// what went wrong and what to do; runCli turns them into exit statuses
// (2 for INVALID_ARGUMENT, 130 for an interrupt, 1 otherwise).
import { MesocosmError, type ErrorCode } from '@mesocosm/protocol';

/** The master did not answer: not running, wrong address, or too slow. */
export class MasterUnreachableError extends MesocosmError {
  constructor(
    /** The URL that was tried. */
    readonly url: string,
    reason: string,
    cause?: unknown,
  ) {
    super(
      'DISCONNECTED',
      `cannot reach the master at ${url} (${reason}): is it running? Give its HTTP address with --master ` +
        'or MESOCOSM_MASTER, e.g. http://127.0.0.1:5050 (not its gRPC port)',
      { cause, details: { url } },
    );
  }
}

/** The master answered a request with an error status. */
export class MasterResponseError extends MesocosmError {
  constructor(
    code: ErrorCode,
    /** The HTTP status. */
    readonly status: number,
    /** What was asked, e.g. `GET /master/tasks`. */
    readonly request: string,
    message: string,
  ) {
    super(code, `the master answered ${status} to ${request}: ${message}`, { details: { status, request } });
  }
}

/** No task, agent or framework matches what the user typed. */
export class NotFoundError extends MesocosmError {
  constructor(code: 'UNKNOWN_TASK' | 'UNKNOWN_AGENT' | 'UNKNOWN_FRAMEWORK' | 'NOT_FOUND', message: string) {
    super(code, message);
  }
}

/** Several tasks, agents or frameworks match what the user typed; the message lists them. */
export class AmbiguousArgumentError extends MesocosmError {
  constructor(
    /** The argument or flag at fault, e.g. `TASK` or `--framework`. */
    readonly argument: string,
    message: string,
  ) {
    super('INVALID_ARGUMENT', `${argument}: ${message}`, { details: { argument } });
  }
}

/** A `--wait` gave up: what was awaited and how far it got. */
export class WaitTimeoutError extends MesocosmError {
  constructor(message: string) {
    super('TIMEOUT', message);
  }
}

/** Ctrl-C (SIGINT) or SIGTERM while waiting; the CLI exits 130, as a shell does. */
export class InterruptedError extends Error {
  constructor(readonly signal: string = 'SIGINT') {
    super(`interrupted (${signal})`);
    this.name = 'InterruptedError';
  }
}

/** Exit status after an interrupt (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;
