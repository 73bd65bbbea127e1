// The error family shared by every package. Each error has a stable code a
// caller can switch on, and a message that says what to fix.

/** Stable, machine-readable error codes. */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_RESOURCE'
  | 'UNKNOWN_OFFER'
  | 'INSUFFICIENT_RESOURCES'
  | 'DUPLICATE_TASK'
  | 'WRONG_AGENT'
  | 'NOT_SUBSCRIBED'
  | 'STALE_STREAM'
  | 'UNKNOWN_FRAMEWORK'
  | 'UNKNOWN_AGENT'
  | 'UNKNOWN_TASK'
  | 'AGENT_ALREADY_CONNECTED'
  | 'NOT_LEADER'
  | 'FRAMEWORK_FAILED_OVER'
  | 'FRAMEWORK_REMOVED'
  | 'DISCONNECTED'
  | 'TIMEOUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'INTERNAL';

/** Base class of every Mesocosm error. */
export class MesocosmError extends Error {
  readonly code: ErrorCode;
  /** Extra facts a caller may act on (the offending field, the offer ID, ...). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Input that does not satisfy the wire contract; `field` names the offending part. */
export class ValidationError extends MesocosmError {
  readonly field: string;

  constructor(field: string, message: string, code: ErrorCode = 'INVALID_ARGUMENT') {
    super(code, `${field}: ${message}`, { details: { field } });
    this.field = field;
  }
}

/**
 * Input over one of the bounds of wire input (limits.ts): a string too long,
 * a list with too many entries. `limit` is the bound, `actual` what was sent.
 */
export class LimitExceededError extends ValidationError {
  readonly limit: number;
  readonly actual: number;

  constructor(field: string, actual: number, limit: number, unit: string) {
    super(field, `has ${actual} ${unit}; at most ${limit} are accepted`);
    this.limit = limit;
    this.actual = actual;
  }
}

/** A resource string or message that cannot be understood. */
export class ResourceParseError extends ValidationError {
  constructor(input: string, message: string) {
    super('resources', `cannot parse '${input}': ${message}`, 'INVALID_RESOURCE');
  }
}
