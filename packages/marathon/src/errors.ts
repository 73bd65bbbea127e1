// Marathon's errors, typed. Each carries the HTTP status and the JSON body
// Marathon answers with, so the REST layer renders them without knowing them.

import { MesocosmError, ValidationError } from '@mesocosm/framework-sdk';
import type { ErrorDetail } from './model/problems.js';

/** The body of Marathon's 422 answer. */
export interface ValidationErrorBody {
  readonly message: 'Object is not valid';
  readonly details: readonly ErrorDetail[];
}

/**
 * An app, group or update that Marathon would refuse with 422. `details`
 * lists every problem found, each under the JSON path of its field.
 */
export class AppValidationError extends ValidationError {
  /** The HTTP status the REST layer answers with. */
  readonly status = 422;
  /** Marathon's JSON body: `{message: "Object is not valid", details: [{path, errors}]}`. */
  readonly body: ValidationErrorBody;

  constructor(details: readonly ErrorDetail[]) {
    const first = details[0];
    super(
      first?.path ?? '/',
      details.map((d) => `${d.path}: ${d.errors.join('; ')}`).join(', ') || 'Object is not valid',
    );
    this.body = { message: 'Object is not valid', details };
  }
}

/** The body of Marathon's 409 answer for a locked app. */
export interface LockedErrorBody {
  readonly message: string;
  readonly deployments: readonly { readonly id: string }[];
}

/**
 * A change to apps that running deployments hold. Marathon answers 409; the
 * client may retry with `?force=true`, which cancels those deployments.
 */
export class AppLockedError extends MesocosmError {
  /** The HTTP status the REST layer answers with. */
  readonly status = 409;
  readonly deploymentIds: readonly string[];
  readonly body: LockedErrorBody;

  constructor(deploymentIds: readonly string[]) {
    const message =
      "App is locked by one or more deployments. Override with the option '?force=true'. " +
      `View details at '/v2/deployments/<DEPLOYMENT_ID>'.`;
    super('CONFLICT', `${message} Locked by: ${deploymentIds.join(', ')}`, {
      details: { deploymentIds: [...deploymentIds] },
    });
    this.deploymentIds = deploymentIds;
    this.body = { message, deployments: deploymentIds.map((id) => ({ id })) };
  }
}

/** An app, group, task or deployment that does not exist: Marathon answers 404 `{message}`. */
export class UnknownAppError extends MesocosmError {
  readonly status = 404;
  readonly body: { readonly message: string };

  /** `what`: e.g. `App '/web'`, `Group '/prod'`, `Task 'x'`, `Deployment 'd'`. */
  constructor(what: string) {
    const message = `${what} does not exist`;
    super('NOT_FOUND', message);
    this.body = { message };
  }
}

/** POST of an app or group whose id is taken: Marathon answers 409 `{message}`. */
export class AppExistsError extends MesocosmError {
  readonly status = 409;
  readonly body: { readonly message: string };

  constructor(id: string) {
    const message = `An app with id [${id}] already exists.`;
    super('CONFLICT', message);
    this.body = { message };
  }
}

/** One problem of an ACL file: where (`rules[2].paths[0]`) and what to fix. */
export interface AclProblem {
  readonly field: string;
  readonly message: string;
}

/** An ACL file (`--http_acls`) or `acls` option that cannot be used; `problems` names every fault. */
export class AclConfigError extends ValidationError {
  readonly problems: readonly AclProblem[];

  /** `source`: the flag or file the rules came from. */
  constructor(problems: readonly AclProblem[], source = 'acls') {
    super(source, problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }
}

/**
 * A request the ACLs (`--http_acls`) do not allow: Marathon answers 403 with
 * its `{message}` body, naming the principal, the action and the first id
 * refused.
 */
export class NotAuthorizedError extends MesocosmError {
  readonly status = 403;
  readonly body: { readonly message: string };
  /** Who asked. */
  readonly principal: string;
  /** What was refused (`create`, `view`, ...). */
  readonly action: string;
  /** The app or group id refused. */
  readonly id: string;

  constructor(principal: string, action: string, id: string) {
    const message =
      `Not Authorized to perform this action! Principal '${principal}' may not ${action} '${id}' ` +
      '(ask an operator for a rule in the --http_acls file)';
    super('PERMISSION_DENIED', message, { details: { principal, action, id } });
    this.principal = principal;
    this.action = action;
    this.id = id;
    this.body = { message };
  }
}
