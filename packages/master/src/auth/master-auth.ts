// The master's authentication and authorisation, as the edges and the core
// use them: who is calling (from an `authorization` header or metadata),
// whether an ACL lets them, and how often either said no (metrics).
import { parseAuthorization } from '@mesocosm/protocol';
import { ACL_ACTIONS, type AclAction } from './acls.js';
import { allowsEverything, decide, explainDecision, type AclObjects } from './authorizer.js';
import type { AuthConfig } from './config.js';
import { PermissionDeniedError, UnauthenticatedError } from './errors.js';

/**
 * Denials no ACL decides, counted beside the ACL actions: `reregister_agents`,
 * an agent registering with an agent ID bound to another principal.
 */
export const OTHER_DENIALS = ['reregister_agents'] as const;

/** What a denial is counted under: an ACL action or one of {@link OTHER_DENIALS}. */
export type DeniedAction = AclAction | (typeof OTHER_DENIALS)[number];

/** Who authenticates: frameworks (Scheduler API), agents (Agent API), operators (HTTP and Operator API). */
export type CallerKind = 'frameworks' | 'agents' | 'http';

/** The outcome of authenticating a caller: its principal (undefined: anonymous, allowed) or a refusal. */
export type Authenticated =
  | { readonly ok: true; readonly principal: string | undefined }
  | { readonly ok: false; readonly error: UnauthenticatedError };

const HOW: Readonly<Record<CallerKind, string>> = {
  frameworks:
    'frameworks must authenticate (--authenticate_frameworks): give the scheduler driver a credential ' +
    '(the `credential` option, or MESOCOSM_PRINCIPAL with MESOCOSM_SECRET_FILE)',
  agents:
    'agents must authenticate (--authenticate_agents): start the agent with --credential FILE ' +
    '(a principal and secret the master lists in its --credentials)',
  http:
    'operator endpoints need credentials (--authenticate_http): send HTTP basic (principal:secret) or ' +
    "'Authorization: Bearer <token>' (the CLI: --principal and --secret-file, or MESOCOSM_TOKEN)",
};

/** See the file comment. @internal */
export class MasterAuth {
  private readonly failures = new Map<CallerKind, number>();
  private readonly denials = new Map<DeniedAction, number>();

  constructor(readonly config: AuthConfig) {}

  /** Whether callers of `kind` must authenticate. */
  required(kind: CallerKind): boolean {
    if (kind === 'frameworks') return this.config.authenticateFrameworks;
    if (kind === 'agents') return this.config.authenticateAgents;
    return this.config.authenticateHttp;
  }

  /** Whether any ACLs are configured (without, every action is allowed and nothing is filtered). */
  get hasAcls(): boolean {
    return this.config.acls !== undefined;
  }

  /**
   * Authenticates an `authorization` value. Missing: refused when `kind` must
   * authenticate, else anonymous. Present: checked whenever the master has
   * credentials (a wrong secret is refused even where authentication is
   * optional). Bearer tokens are for operators only.
   */
  authenticate(kind: CallerKind, authorization: string | undefined): Authenticated {
    const presented = parseAuthorization(authorization);
    const store = this.config.store;
    if (presented === undefined || store === undefined) {
      if (!this.required(kind)) return { ok: true, principal: undefined };
      return this.refuse(kind, `no credentials: ${HOW[kind]}`);
    }
    switch (presented.scheme) {
      case 'invalid':
        return this.refuse(
          kind,
          `the authorization ${kind === 'http' ? 'header' : 'metadata'} cannot be read: ${presented.problem}`,
        );
      case 'bearer': {
        if (kind !== 'http') return this.refuse(kind, `bearer tokens are for operators; ${HOW[kind]}`);
        const principal = store.principalOfToken(presented.token);
        if (principal === undefined) return this.refuse(kind, 'the bearer token is not one the master knows');
        return { ok: true, principal };
      }
      case 'basic':
        if (!store.verify(presented.principal, presented.secret)) {
          return this.refuse(
            kind,
            `authentication of principal '${presented.principal}' failed: unknown principal or wrong secret`,
          );
        }
        return { ok: true, principal: presented.principal };
    }
  }

  /** Whether `principal` may do `action` to `objects` (always, without ACLs). Not counted. */
  allows(action: AclAction, principal: string | undefined, objects: AclObjects): boolean {
    const acls = this.config.acls;
    return acls === undefined || decide(acls, action, principal, objects).allowed;
  }

  /** Whether `principal` may do `action` to everything (always, without ACLs). Not counted. */
  allowsAll(action: AclAction, principal: string | undefined): boolean {
    const acls = this.config.acls;
    return acls === undefined || allowsEverything(acls, action, principal);
  }

  /**
   * Throws a {@link PermissionDeniedError} (counted) naming the rule, when
   * `principal` may not do `action` to `objects`; `what` completes "may not ...".
   */
  authorize(action: AclAction, principal: string | undefined, objects: AclObjects, what: string): void {
    const acls = this.config.acls;
    if (acls === undefined) return;
    const decision = decide(acls, action, principal, objects);
    if (decision.allowed) return;
    throw this.denied(action, principal, what, explainDecision(acls, action, decision));
  }

  /** Counts a denial of `action` and returns its error (for refusals decided elsewhere, e.g. allowsAll). */
  denied(action: DeniedAction, principal: string | undefined, what: string, why: string): PermissionDeniedError {
    this.denials.set(action, (this.denials.get(action) ?? 0) + 1);
    return new PermissionDeniedError(action, principal, what, why);
  }

  /** Mesos-style keys: `master/authentication/failed/<kind>` and `master/authorization/denied/<action>`. */
  metrics(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const kind of ['frameworks', 'agents', 'http'] as const) {
      out[`master/authentication/failed/${kind}`] = this.failures.get(kind) ?? 0;
    }
    for (const action of [...ACL_ACTIONS, ...OTHER_DENIALS]) {
      out[`master/authorization/denied/${action}`] = this.denials.get(action) ?? 0;
    }
    return out;
  }

  private refuse(kind: CallerKind, message: string): Authenticated {
    this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
    return { ok: false, error: new UnauthenticatedError(message) };
  }
}
