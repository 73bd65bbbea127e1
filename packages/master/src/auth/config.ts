// The master's authentication and authorisation options, checked.
import {
  checkCredentials,
  CredentialsError,
  CredentialStore,
  ValidationError,
  type CredentialsSpec,
} from '@mesocosm/protocol';
import { parseAcls, type Acls } from './acls.js';
import { AclsError } from './errors.js';

/** The auth fields of MasterOptions (see options.ts for their documentation). */
export interface AuthOptions {
  authenticateFrameworks?: boolean;
  authenticateAgents?: boolean;
  authenticateHttp?: boolean;
  credentials?: CredentialsSpec;
  acls?: unknown;
}

/** Auth options, checked. @internal */
export interface AuthConfig {
  readonly authenticateFrameworks: boolean;
  readonly authenticateAgents: boolean;
  readonly authenticateHttp: boolean;
  /** Undefined when no credentials were given (nobody can authenticate). */
  readonly store: CredentialStore | undefined;
  /** Undefined when no ACLs were given (everything is allowed). */
  readonly acls: Acls | undefined;
}

const FLAG_OF = {
  authenticateFrameworks: '--authenticate_frameworks',
  authenticateAgents: '--authenticate_agents',
  authenticateHttp: '--authenticate_http',
} as const;

/** Checks the auth options; throws a ValidationError (or the file's own error) saying what to fix. @internal */
export function resolveAuthOptions(o: AuthOptions): AuthConfig {
  let store: CredentialStore | undefined;
  if (o.credentials !== undefined) {
    try {
      store = new CredentialStore(checkCredentials(o.credentials));
    } catch (err) {
      if (err instanceof CredentialsError) throw new ValidationError('credentials', err.message);
      throw err;
    }
  }
  for (const key of Object.keys(FLAG_OF) as (keyof typeof FLAG_OF)[]) {
    if (o[key] === true && store === undefined) {
      throw new ValidationError(
        key,
        `needs credentials to check callers against: give --credentials FILE (or the credentials option) with ${FLAG_OF[key]}`,
      );
    }
  }
  let acls: Acls | undefined;
  if (o.acls !== undefined) {
    try {
      acls = parseAcls(o.acls);
    } catch (err) {
      if (err instanceof AclsError) throw new ValidationError('acls', err.message);
      throw err;
    }
  }
  return {
    authenticateFrameworks: o.authenticateFrameworks === true,
    authenticateAgents: o.authenticateAgents === true,
    authenticateHttp: o.authenticateHttp === true,
    store,
    acls,
  };
}
