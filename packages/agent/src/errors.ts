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
  constructor(path: string, where = "the agent's sandboxes") {
    super('INVALID_ARGUMENT', `'${path}' is outside ${where}`, { details: { path } });
  }
}

/** The Docker engine the agent was configured with does not answer. */
export class DockerUnavailableError extends MesocosmError {
  constructor(where: string, cause: string) {
    super(
      'DISCONNECTED',
      `Docker is not available on this agent: the engine at ${where} does not answer (${cause}); start dockerd or point the agent at it (docker.socketPath / --docker_socket, or DOCKER_HOST)`,
    );
  }
}

/** A task's image is not on the agent and cannot be pulled. */
export class DockerImageError extends MesocosmError {
  constructor(image: string, forcePull: boolean, cause: string) {
    super(
      'INVALID_ARGUMENT',
      forcePull
        ? `Cannot pull the image '${image}' (force_pull_image is set): ${cause}`
        : `The image '${image}' is not on this agent and cannot be pulled: ${cause} (load it on the agent with docker load/import, or make its registry reachable)`,
    );
  }
}

/** A task or executor asks to run as a user the agent's host does not know (`--switch_user`). */
export class UnknownUserError extends MesocosmError {
  constructor(readonly user: string) {
    super('INVALID_ARGUMENT', `user '${user}' does not exist on this agent (getent passwd)`, { details: { user } });
  }
}
