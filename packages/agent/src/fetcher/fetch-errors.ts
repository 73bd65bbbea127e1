// The fetcher's errors: a URI that cannot be fetched at all (refused before
// anything is created), and a fetch that went wrong (the task fails with
// REASON_FETCHER_FAILED).
import { MesocosmError, ValidationError } from '@mesocosm/protocol';

/** A CommandInfo URI this agent will not fetch; the message says what to change. */
export class UriValidationError extends ValidationError {
  constructor(uri: string, message: string) {
    super(`URI '${uri}'`, message);
  }
}

/** Fetching one URI into a sandbox failed; `uri` names it and the message gives the cause. */
export class FetchFailedError extends MesocosmError {
  readonly uri: string;

  constructor(uri: string, cause: string, options: { cause?: unknown } = {}) {
    super('INVALID_ARGUMENT', `Failed to fetch '${uri}': ${cause}`, { ...options, details: { uri } });
    this.uri = uri;
  }
}
