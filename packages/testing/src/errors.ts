// Errors of the testing helpers.
import { MesocosmError } from '@mesocosm/protocol';

/** A condition did not hold within its deadline. */
export class WaitTimeoutError extends MesocosmError {
  constructor(message: string, cause?: unknown) {
    super('TIMEOUT', message, { cause });
  }
}

/** A cluster process could not start, or died before it was ready. */
export class LocalClusterError extends MesocosmError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('INTERNAL', message, options);
  }
}
