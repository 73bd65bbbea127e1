// The environment of a custom executor. Pure.
import { formatMesosDuration, type IExecutorInfo } from '@mesocosm/protocol';

/** The variables of the executor API's protection: the agent's to set, no one else's. */
const EXECUTOR_API_VARIABLES = [
  'MESOS_EXECUTOR_AUTHENTICATION_TOKEN',
  'MESOCOSM_EXECUTOR_TLS_CA',
  'MESOS_EXECUTOR_TLS_CA',
];

/** What the agent knows about an executor when it builds its environment. */
export interface ExecutorEnvironmentInput {
  /** The agent's own environment (inherited, as for tasks). */
  readonly base: Readonly<Record<string, string | undefined>>;
  readonly info: IExecutorInfo;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly sandbox: string;
  /** host:port of the agent's executor API. */
  readonly endpoint: string;
  /** The address tasks should bind or advertise (the agent's advertised IP). */
  readonly host: string;
  /** The executor's longest wait between two subscription attempts when disconnected. */
  readonly subscriptionBackoffMaxMs?: number;
  /** Its executor API token, when the agent authenticates executors. */
  readonly token?: string;
  /** A PEM file of the CAs that verify the executor API's certificate, when it serves TLS. */
  readonly tlsCa?: string;
}

/**
 * The base environment, then MESOCOSM_AGENT_ENDPOINT, _EXECUTOR_ID,
 * _FRAMEWORK_ID, _AGENT_ID, _SANDBOX, _DIRECTORY (each also as MESOS_*,
 * with MESOS_SLAVE_ID), _SUBSCRIPTION_BACKOFF_MAX, HOST, and last the executor command's own
 * variables, which win; then the agent's MESOS_EXECUTOR_AUTHENTICATION_TOKEN
 * and MESOCOSM_EXECUTOR_TLS_CA (with MESOS_EXECUTOR_TLS_CA), which the
 * command may not override (nor inherit from the agent's environment).
 */
export function executorEnvironment(input: ExecutorEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.base)) if (v !== undefined) env[k] = v;
  // Variables of a task the agent itself may run in must not leak into the executor.
  for (const k of Object.keys(env)) if (/^(MESOS|MESOCOSM)_TASK_ID$/.test(k)) delete env[k];
  const ids: Record<string, string> = {
    AGENT_ENDPOINT: input.endpoint,
    EXECUTOR_ID: input.info.executorId?.value ?? '',
    FRAMEWORK_ID: input.frameworkId,
    AGENT_ID: input.agentId,
    SANDBOX: input.sandbox,
    DIRECTORY: input.sandbox,
  };
  for (const [k, v] of Object.entries(ids)) {
    env[`MESOS_${k}`] = v;
    env[`MESOCOSM_${k}`] = v;
  }
  env['MESOS_SLAVE_ID'] = input.agentId;
  // As Mesos: a disconnected executor retries at least this often, so that it
  // re-subscribes within the agent's re-registration timeout after a restart.
  if (input.subscriptionBackoffMaxMs !== undefined) {
    const backoff = formatMesosDuration(input.subscriptionBackoffMaxMs);
    env['MESOS_SUBSCRIPTION_BACKOFF_MAX'] = backoff;
    env['MESOCOSM_SUBSCRIPTION_BACKOFF_MAX'] = backoff;
  }
  env['HOST'] = input.host;
  for (const v of input.info.command?.environment?.variables ?? []) if (v.name) env[v.name] = v.value ?? '';
  // Set by the agent alone: an ExecutorInfo cannot hand an executor another one's token or CA.
  for (const k of EXECUTOR_API_VARIABLES) delete env[k];
  if (input.token !== undefined) env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN'] = input.token;
  if (input.tlsCa !== undefined) {
    env['MESOCOSM_EXECUTOR_TLS_CA'] = input.tlsCa;
    env['MESOS_EXECUTOR_TLS_CA'] = input.tlsCa;
  }
  return env;
}
