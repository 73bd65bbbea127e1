// Typed errors of the executor driver.
import { MesocosmError } from '@mesocosm/protocol';

/** The executor was not started by an agent: a variable of its environment is missing or malformed. */
export class ExecutorEnvironmentError extends MesocosmError {
  /** The variable to set, e.g. `MESOCOSM_AGENT_ENDPOINT`. */
  readonly variable: string;

  constructor(variable: string, problem = 'is not set') {
    super(
      'INVALID_ARGUMENT',
      `${variable} ${problem}: an executor is started by a Mesocosm agent, which sets it (or set it by hand to test)`,
      { details: { variable } },
    );
    this.variable = variable;
  }
}

/**
 * The agent refused the executor: its SUBSCRIBE (an ERROR event, e.g. an
 * executor ID it did not launch; `code` INVALID_ARGUMENT), or its token
 * (`code` UNAUTHENTICATED: missing or not this agent's; PERMISSION_DENIED:
 * issued to another executor or an earlier run).
 */
export class ExecutorRefusedError extends MesocosmError {
  constructor(
    message: string,
    code: 'INVALID_ARGUMENT' | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' = 'INVALID_ARGUMENT',
  ) {
    super(
      code,
      `the agent refused the executor${code === 'INVALID_ARGUMENT' ? "'s subscription" : ` (${code})`}: ${message}`,
    );
  }
}

/** A call on an executor driver that is stopped, or that gave up reaching its agent. */
export class ExecutorDriverStoppedError extends MesocosmError {
  constructor(what: string) {
    super('DISCONNECTED', `${what}: the executor driver is stopped`);
  }
}
