// Errors of master detection.
import { MesocosmError } from '@mesocosm/protocol';

/** detect() was called on, or pending when, the detector was closed. */
export class DetectorClosedError extends MesocosmError {
  constructor() {
    super('DISCONNECTED', 'the master detector was closed');
  }
}
