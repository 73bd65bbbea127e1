// Errors of the network fault helpers.
import { MesocosmError } from '@mesocosm/protocol';

/** Network hosts could not be made, changed or removed (the message says which command failed and why). */
export class NetworkHostsError extends MesocosmError {
  constructor(message: string, cause?: unknown) {
    super('INTERNAL', message, { cause });
  }
}

/** A proxy could not start, or was used after it was closed. */
export class ProxyError extends MesocosmError {
  constructor(message: string, cause?: unknown) {
    super('INTERNAL', message, { cause });
  }
}
