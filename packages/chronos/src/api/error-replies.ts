// Errors as HTTP answers, in one place: typed errors carry their status
// (JobValidationError 400 with every problem, UnknownJobError 404); other
// MesocosmErrors map by code; anything else is a 500 that names the cause.
import { MesocosmError, ValidationError, type ErrorCode } from '@mesocosm/framework-sdk';
import { JobValidationError } from '../errors.js';
import { message, type Reply } from './http-io.js';

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_RESOURCE: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DISCONNECTED: 503,
  TIMEOUT: 503,
};

/** A refused write whose leader is elsewhere: the caller redirects (or answers 503). */
export interface NotLeader {
  readonly leaderUrl: string | undefined;
}

/**
 * Recognises NotLeaderError (from `@mesocosm/framework-sdk/ha`) by its code,
 * so that a second copy of the SDK in node_modules is recognised too.
 */
export function asNotLeader(err: unknown): NotLeader | undefined {
  if (!(err instanceof MesocosmError) || err.code !== 'NOT_LEADER') return undefined;
  const url = (err as MesocosmError & { leaderUrl?: unknown }).leaderUrl;
  return { leaderUrl: typeof url === 'string' && url !== '' ? url : undefined };
}

function statusOf(err: Error): number | undefined {
  const status = (err as Error & { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : undefined;
}

// ValidationError prefixes its message with the field; the problem list names the field apart.
function withoutField(err: ValidationError): string {
  const prefix = `${err.field}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** The answer for an error thrown by the service (NotLeaderError excepted: see {@link asNotLeader}). */
export function errorReply(err: unknown): Reply {
  if (err instanceof JobValidationError) return { status: err.status, json: err.body() };
  if (err instanceof ValidationError) {
    return {
      status: statusOf(err) ?? 400,
      json: { message: err.message, errors: [{ field: err.field, message: withoutField(err) }] },
    };
  }
  if (err instanceof MesocosmError) {
    return message(statusOf(err) ?? STATUS_BY_CODE[err.code] ?? 500, err.message);
  }
  const text = err instanceof Error ? err.message : String(err);
  return message(500, `internal error: ${text}`);
}
