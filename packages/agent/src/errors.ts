// Typed errors of the agent. Each says what to fix.
import { MesocosmError, ValidationError } from '@mesocosm/protocol';

/** An agent option (a flag) that cannot be used; `field` names the flag, e.g. `--resources`. */
export class AgentOptionError extends ValidationError {
  constructor(flag: string, message: string) {
    super(flag, message, 'INVALID_ARGUMENT');
  }
}

/** Isolation `cgroups` was asked for but this host or user cannot provide it. */
export class IsolationUnavailableError extends MesocosmError {
  constructor(reason: string) {
    super('INVALID_ARGUMENT', `cgroups isolation is not available: ${reason} (use isolation 'auto' or 'posix')`);
  }
}

/** A path given to the agent's file endpoints that it may not serve. */
export class PathForbiddenError extends MesocosmError {
  constructor(path: string) {
    super('INVALID_ARGUMENT', `'${path}' is outside the agent's sandboxes`, { details: { path } });
  }
}
