// The errors of authentication and authorisation: bad ACL files (what to
// fix, where), refused callers (UNAUTHENTICATED) and denied actions
// (PERMISSION_DENIED, naming the rule that denied). Bad credentials are
// protocol's CredentialsError.
import { MesocosmError } from '@mesocosm/protocol';

/** An ACL file (or `acls` option) that cannot be used; `field` is the JSON path of the problem. */
export class AclsError extends MesocosmError {
  readonly field: string;
  readonly problem: string;

  constructor(field: string, problem: string, source?: string) {
    super('INVALID_ARGUMENT', `ACLs${source === undefined ? '' : ` in ${source}`}: ${field} ${problem}`, {
      details: { field, ...(source === undefined ? {} : { source }) },
    });
    this.field = field;
    this.problem = problem;
  }
}

/** A caller that did not prove who it is, where the master requires it. */
export class UnauthenticatedError extends MesocosmError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
  }
}

/** An action an ACL does not allow this principal. */
export class PermissionDeniedError extends MesocosmError {
  readonly action: string;
  readonly principal: string | undefined;

  constructor(action: string, principal: string | undefined, what: string, why: string) {
    const who = principal === undefined ? 'an unauthenticated caller' : `principal '${principal}'`;
    super('PERMISSION_DENIED', `${who} may not ${what}: denied by ${why}`, {
      details: { action, ...(principal === undefined ? {} : { principal }) },
    });
    this.action = action;
    this.principal = principal;
  }
}
