// The one place where errors become HTTP answers. Marathon's typed errors
// carry their own `status` and `body`; the SDK's errors are mapped here.
import { MesocosmError, ValidationError } from '@mesocosm/framework-sdk';
import { StateConflictError } from '@mesocosm/framework-sdk/ha';
import { HttpError } from './http-error.js';
import type { Reply } from './http-io.js';

/** An error's answer, and whether it is unexpected (a 500 worth logging). */
export interface ErrorAnswer {
  reply: Reply;
  unexpected: boolean;
}

function typedStatus(err: unknown): { status: number; body: object } | undefined {
  if (!(err instanceof Error)) return undefined;
  const { status, body } = err as Error & { status?: unknown; body?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 599) return undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  return { status, body };
}

const CODE_STATUS: Partial<Record<MesocosmError['code'], number>> = {
  NOT_FOUND: 404,
  UNKNOWN_TASK: 404,
  CONFLICT: 409,
  INVALID_ARGUMENT: 400,
  TIMEOUT: 503,
  DISCONNECTED: 503,
  NOT_LEADER: 503,
};

/** Maps any thrown value to Marathon's status and body. */
export function errorAnswer(err: unknown): ErrorAnswer {
  if (err instanceof HttpError) {
    return { reply: { status: err.status, body: err.body, headers: { ...err.headers } }, unexpected: false };
  }
  const typed = typedStatus(err);
  if (typed !== undefined) return { reply: { status: typed.status, body: typed.body }, unexpected: false };
  if (err instanceof StateConflictError) {
    return { reply: { status: 409, body: { message: err.message } }, unexpected: false };
  }
  if (err instanceof ValidationError) {
    const path = err.field.startsWith('/') ? err.field : `/${err.field}`;
    const body = { message: 'Object is not valid', details: [{ path, errors: [err.message] }] };
    return { reply: { status: 422, body }, unexpected: false };
  }
  if (err instanceof MesocosmError) {
    const status = CODE_STATUS[err.code];
    if (status !== undefined) return { reply: { status, body: { message: err.message } }, unexpected: false };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { reply: { status: 500, body: { message: `Internal server error: ${message}` } }, unexpected: true };
}
