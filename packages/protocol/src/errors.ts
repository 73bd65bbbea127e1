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

/** A resource string or message that cannot be understood. */
export class ResourceParseError extends ValidationError {
  constructor(input: string, message: string) {
    super('resources', `cannot parse '${input}': ${message}`, 'INVALID_RESOURCE');
  }
}
