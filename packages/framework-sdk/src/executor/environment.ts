// What an executor learns from the environment the agent started it with.
// Pure: takes the environment as an argument.
import { parseMesosDuration } from '@mesocosm/protocol';
import { ExecutorEnvironmentError } from './errors.js';

/** Where an executor is and who it is, as the agent told it. */
export interface ExecutorEnvironment {
  /** `host:port` of the agent's executor API (`MESOCOSM_AGENT_ENDPOINT`). */
  agentEndpoint: string;
  /** `MESOCOSM_EXECUTOR_ID`. */
  executorId: string;
  /** `MESOCOSM_FRAMEWORK_ID`. */
  frameworkId: string;
  /** `MESOCOSM_AGENT_ID` (may be empty when the agent did not know it yet). */
  agentId: string;
  /** The executor's sandbox directory (`MESOCOSM_SANDBOX`), its working directory. */
  sandbox: string;
  /**
   * Longest wait between two subscription attempts while disconnected
   * (`MESOCOSM_SUBSCRIPTION_BACKOFF_MAX`, Mesos' `MESOS_SUBSCRIPTION_BACKOFF_MAX`,
   * e.g. `1secs`): the agent derives it from its re-registration timeout, so
   * that an executor re-subscribes in time after the agent restarts.
   */
  subscriptionBackoffMaxMs?: number;
  /**
   * The executor's token (`MESOS_EXECUTOR_AUTHENTICATION_TOKEN`, as Mesos):
   * sent to the agent as `authorization: Bearer <token>` each time the driver
   * subscribes. An agent that authenticates executors (its default) refuses
   * an executor without it. Never logged.
   */
  authenticationToken?: string;
  /**
   * CA certificates (a PEM file, or PEM text) that verify the agent's
   * executor API certificate (`MESOCOSM_EXECUTOR_TLS_CA`, or
   * `MESOS_EXECUTOR_TLS_CA`): set by an agent that serves TLS, and the driver
   * then connects with TLS.
   */
  tlsCa?: string;
}

/** Each field, with the variables that may carry it, ours first, then Mesos' names. */
type IdField = Exclude<keyof ExecutorEnvironment, 'subscriptionBackoffMaxMs' | 'authenticationToken' | 'tlsCa'>;

/** The variable of {@link ExecutorEnvironment.authenticationToken}. */
export const EXECUTOR_TOKEN_ENV = 'MESOS_EXECUTOR_AUTHENTICATION_TOKEN';

/** The variables of {@link ExecutorEnvironment.tlsCa}, ours first. */
export const EXECUTOR_TLS_CA_ENV = ['MESOCOSM_EXECUTOR_TLS_CA', 'MESOS_EXECUTOR_TLS_CA'] as const;

const VARIABLES: Record<IdField, readonly string[]> = {
  agentEndpoint: ['MESOCOSM_AGENT_ENDPOINT', 'MESOS_AGENT_ENDPOINT'],
  executorId: ['MESOCOSM_EXECUTOR_ID', 'MESOS_EXECUTOR_ID'],
  frameworkId: ['MESOCOSM_FRAMEWORK_ID', 'MESOS_FRAMEWORK_ID'],
  agentId: ['MESOCOSM_AGENT_ID', 'MESOS_AGENT_ID', 'MESOS_SLAVE_ID'],
  sandbox: ['MESOCOSM_SANDBOX', 'MESOS_SANDBOX', 'MESOS_DIRECTORY'],
};

const REQUIRED: ReadonlySet<IdField> = new Set(['agentEndpoint', 'executorId', 'frameworkId']);

/**
 * Reads the executor's environment (`MESOCOSM_*`, or Mesos' `MESOS_*`
 * aliases). Throws {@link ExecutorEnvironmentError} naming the variable that
 * is missing: an executor is meant to be started by an agent.
 *
 * @example
 * ```ts
 * const env = readExecutorEnvironment(); // process.env
 * console.error(`executor ${env.executorId} of ${env.frameworkId}, agent at ${env.agentEndpoint}`);
 * ```
 */
export function readExecutorEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ExecutorEnvironment {
  const out: ExecutorEnvironment = { agentEndpoint: '', executorId: '', frameworkId: '', agentId: '', sandbox: '' };
  for (const field of Object.keys(VARIABLES) as IdField[]) {
    const names = VARIABLES[field];
    const value = names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
    if (value === undefined && REQUIRED.has(field)) throw new ExecutorEnvironmentError(names[0] ?? field);
    out[field] = value ?? '';
  }
  if (!/^(\[[^\]]+\]|[^:\s[\]]+):\d+$/.test(out.agentEndpoint))
    throw new ExecutorEnvironmentError(
      'MESOCOSM_AGENT_ENDPOINT',
      `'${out.agentEndpoint}' is not host:port of the agent's executor API`,
    );
  const backoffName = ['MESOCOSM_SUBSCRIPTION_BACKOFF_MAX', 'MESOS_SUBSCRIPTION_BACKOFF_MAX'].find((n) => env[n]);
  if (backoffName !== undefined) {
    const ms = parseMesosDuration(env[backoffName] ?? '');
    if (ms === undefined)
      throw new ExecutorEnvironmentError(backoffName, `'${env[backoffName]}' is not a duration such as 2secs or 500ms`);
    out.subscriptionBackoffMaxMs = ms;
  }
  const token = env[EXECUTOR_TOKEN_ENV];
  if (token !== undefined && token !== '') out.authenticationToken = token;
  const ca = EXECUTOR_TLS_CA_ENV.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  if (ca !== undefined) out.tlsCa = ca;
  return out;
}
