// The REST API's door: every request but /ping must authenticate (HTTP basic
// or a bearer token) when credentials are configured, and with ACLs each
// principal gets the service as far as its rules allow. Without ACLs every
// authenticated principal may do everything.
import type { IncomingMessage } from 'node:http';
import { HttpAuthGuard, loadHttpAuth, type HttpAuthOptions, type HttpAuthSources } from '@mesocosm/framework-sdk';
import type { MarathonService } from '../../service/marathon-service.js';
import { ApiAcl, parseAclRules, type AclRule } from '../../model/api-acl.js';
import { HttpError } from '../http-error.js';
import { AuthorizedService } from './authorized-service.js';

/** Authentication and authorisation of the REST API (`--http_credentials`, tokens, `--http_acls`). */
export interface ApiAuthOptions extends HttpAuthOptions<readonly AclRule[]> {
  /** Who may do what on which path; absent: every authenticated principal may do everything. */
  readonly acls?: readonly AclRule[];
}

/** The default realm, Marathon's. */
export const DEFAULT_REALM = 'Mesosphere';

/** Authenticates requests and hands out each principal's view of the service. */
export class ApiGuard extends HttpAuthGuard<readonly AclRule[], ApiAcl> {
  /** @throws CredentialsError without any credential or token; AclConfigError for malformed rules */
  constructor(options: ApiAuthOptions) {
    super(options, DEFAULT_REALM, (rules) => new ApiAcl(rules));
  }

  /**
   * The principal of `req`. @throws HttpError 401 (with the challenge) when
   * it brings no credentials or wrong ones; the body, unread, is discarded.
   */
  authenticate(req: IncomingMessage): string {
    const result = this.authenticateHeader(req.headers.authorization);
    if (result.ok) return result.principal;
    req.resume();
    throw new HttpError(401, `Unauthorized: ${result.reason}`, { 'www-authenticate': this.challenge });
  }

  /** The service as `principal` may use it. */
  serviceFor(principal: string, service: MarathonService): MarathonService {
    return this.acl === undefined ? service : new AuthorizedService(service, this.acl, principal);
  }
}

/** Where the REST API's credentials, tokens and ACLs come from (the flags' values). */
export type ApiAuthSources = HttpAuthSources;

/**
 * Reads and checks the files and values `sources` name, once at start;
 * undefined when none is given (the API stays open). See the SDK's `loadHttpAuth`.
 *
 * @throws CredentialsError, AclConfigError naming the flag and file, never a secret
 */
export function loadApiAuth(sources: ApiAuthSources): Promise<ApiAuthOptions | undefined> {
  return loadHttpAuth(sources, parseAclRules);
}
