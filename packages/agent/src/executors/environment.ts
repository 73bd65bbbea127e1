// The environment of a task. Pure.
import { Resources, type ITaskInfo } from '@mesocosm/protocol';

/** What the agent knows about a task when it builds its environment. */
export interface TaskEnvironmentInput {
  /** The agent's own environment (inherited, as Mesos' command executor does). */
  readonly base: Readonly<Record<string, string | undefined>>;
  readonly task: ITaskInfo;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly sandbox: string;
  /** The address tasks should bind or advertise (the agent's advertised IP). */
  readonly host: string;
}

/** At most this many PORTn variables (a huge range is still listed in PORTS). */
const MAX_PORT_VARS = 1000;

/** The task's ports, in order, from its `ports` ranges. */
export function taskPorts(task: ITaskInfo): number[] {
  const ports: number[] = [];
  for (const [b, e] of Resources.fromProto(task.resources).ranges('ports')) {
    for (let p = b; p <= e && ports.length < MAX_PORT_VARS; p++) ports.push(p);
  }
  return ports;
}

/**
 * The base environment, then Mesos' variables (MESOS_SANDBOX, MESOS_TASK_ID,
 * MESOS_AGENT_ID, MESOS_FRAMEWORK_ID, ...), our MESOCOSM_* aliases, HOST,
 * PORT0..n / PORT / PORTS, and last the task's own variables, which win.
 */
export function taskEnvironment(input: TaskEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.base)) if (v !== undefined) env[k] = v;
  const taskId = input.task.taskId?.value ?? '';
  const ids: Record<string, string> = {
    SANDBOX: input.sandbox,
    DIRECTORY: input.sandbox,
    TASK_ID: taskId,
    AGENT_ID: input.agentId,
    FRAMEWORK_ID: input.frameworkId,
    EXECUTOR_ID: taskId,
  };
  for (const [k, v] of Object.entries(ids)) {
    env[`MESOS_${k}`] = v;
    env[`MESOCOSM_${k}`] = v;
  }
  env['MESOS_SLAVE_ID'] = input.agentId;
  env['HOST'] = input.host;
  const ports = taskPorts(input.task);
  ports.forEach((p, i) => (env[`PORT${i}`] = String(p)));
  if (ports.length > 0) {
    env['PORT'] = String(ports[0]);
    env['PORTS'] = ports.join(',');
  }
  for (const v of input.task.command?.environment?.variables ?? []) if (v.name) env[v.name] = v.value ?? '';
  return env;
}
