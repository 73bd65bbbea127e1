// The master's errors and their mapping to gRPC status codes and HTTP statuses
// (one place for each, as STYLE.md asks).
import { status as GrpcStatus, type ServiceError, Metadata } from '@grpc/grpc-js';
import { MesocosmError, type ErrorCode } from '@mesocosm/protocol';

/** The gRPC status for an error code. */
export function grpcStatusOf(code: ErrorCode | string): GrpcStatus {
  switch (code) {
    case 'INVALID_ARGUMENT':
    case 'INVALID_RESOURCE':
    case 'DUPLICATE_TASK':
    case 'WRONG_AGENT':
      return GrpcStatus.INVALID_ARGUMENT;
    case 'STALE_STREAM':
    case 'NOT_SUBSCRIBED':
    case 'INSUFFICIENT_RESOURCES':
      return GrpcStatus.FAILED_PRECONDITION;
    case 'UNKNOWN_FRAMEWORK':
    case 'UNKNOWN_AGENT':
    case 'UNKNOWN_TASK':
    case 'UNKNOWN_OFFER':
      return GrpcStatus.NOT_FOUND;
    case 'AGENT_ALREADY_CONNECTED':
      return GrpcStatus.ALREADY_EXISTS;
    case 'NOT_LEADER':
    case 'DISCONNECTED':
      return GrpcStatus.UNAVAILABLE;
    case 'TIMEOUT':
      return GrpcStatus.DEADLINE_EXCEEDED;
    case 'UNAUTHENTICATED':
      return GrpcStatus.UNAUTHENTICATED;
    case 'PERMISSION_DENIED':
      return GrpcStatus.PERMISSION_DENIED;
    default:
      return GrpcStatus.INTERNAL;
  }
}

/** The HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode | string): number {
  switch (grpcStatusOf(code)) {
    case GrpcStatus.INVALID_ARGUMENT:
      return 400;
    case GrpcStatus.FAILED_PRECONDITION:
      return 409;
    case GrpcStatus.NOT_FOUND:
      return 404;
    case GrpcStatus.ALREADY_EXISTS:
      return 409;
    case GrpcStatus.UNAVAILABLE:
      return 503;
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 504;
    case GrpcStatus.UNAUTHENTICATED:
      return 401;
    case GrpcStatus.PERMISSION_DENIED:
      return 403;
    default:
      return 500;
  }
}

/** A gRPC error (for a unary callback) from any thrown value. */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const code = err instanceof MesocosmError ? err.code : 'INTERNAL';
  const details = err instanceof Error ? err.message : String(err);
  const metadata = new Metadata();
  metadata.set('mesocosm-error-code', code);
  return { code: grpcStatusOf(code), details, message: details, metadata };
}

/**
 * What a standby answers a unary call: FAILED_PRECONDITION (the call is fine,
 * this master is the wrong one), with the NOT_LEADER code in the metadata.
 */
export function notLeaderError(message: string): Partial<ServiceError> {
  const metadata = new Metadata();
  metadata.set('mesocosm-error-code', 'NOT_LEADER');
  return { code: GrpcStatus.FAILED_PRECONDITION, details: message, message, metadata };
}

/** A registry znode (or record) that cannot be read: names the znode and what is wrong with it. */
export class RegistryDataError extends MesocosmError {
  /** The znode (or record key) that holds the bad data. */
  readonly znode: string;

  constructor(znode: string, problem: string, cause?: unknown) {
    super(
      'INTERNAL',
      `registry znode ${znode} holds bad data: ${problem}; fix or delete that znode (a master cannot lead over it)`,
      { cause, details: { znode } },
    );
    this.znode = znode;
  }
}

/** A registry write refused because this master no longer leads (its session is not usable). */
export class RegistryFencedError extends MesocosmError {
  constructor(op: string, why: string) {
    super('NOT_LEADER', `registry ${op} refused: ${why}; this master no longer leads`);
  }
}

/** Calls refused while a newly elected master loads its registry. Retryable. */
export class RecoveringError extends MesocosmError {
  constructor() {
    super('DISCONNECTED', 'the master was just elected and is still loading its registry; retry in a moment');
  }
}
