// Errors of the command line. A UsageError means the user typed something we
// cannot accept: the CLI prints its message and exits with status 2.
import { MesocosmError } from '@mesocosm/protocol';

/** A flag or argument the user must fix; the CLI exits with status 2. */
export class UsageError extends MesocosmError {
  /** The flag at fault, e.g. `--offer_timeout`. */
  readonly flag: string;

  constructor(flag: string, message: string) {
    super('INVALID_ARGUMENT', `${flag}: ${message}`, { details: { flag } });
    this.flag = flag;
  }
}

/** Exit status for bad usage (as getopt-style tools and Mesos do). */
export const USAGE_EXIT_CODE = 2;
