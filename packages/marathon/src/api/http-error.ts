// An HTTP-level refusal made by the API itself (bad JSON, unknown route,
// body too large, no leader): a status and Marathon's `{message}` body.
import { MesocosmError } from '@mesocosm/framework-sdk';

/** A request the API refuses before it reaches the service; rendered as `status` with `body`. */
export class HttpError extends MesocosmError {
  /** The HTTP status to answer with. */
  readonly status: number;
  /** Marathon's error body: `{message}`. */
  readonly body: { readonly message: string };
  /** Extra response headers (e.g. `allow` for 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHENTICATED' : 'INVALID_ARGUMENT', message);
    this.status = status;
    this.body = { message };
    this.headers = headers;
  }
}
