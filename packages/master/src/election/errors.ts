// Errors of leader election.
import { MesocosmError } from '@mesocosm/protocol';

/** Leader election was misused or cannot proceed. */
export class ElectionError extends MesocosmError {
  constructor(message: string, cause?: unknown) {
    super('INTERNAL', message, { cause });
  }
}
