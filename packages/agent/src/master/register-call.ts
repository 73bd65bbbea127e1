// The REGISTER / REREGISTER call. Pure.
import {
  AgentCallType,
  TaskStatusSource,
  type IAgentCall,
  type IAttribute,
  type IFrameworkInfo,
  type Resources,
} from '@mesocosm/protocol';
import type { TaskRecord } from '../tasks/task-book.js';

/** What the agent tells the master about itself. */
export interface RegisterInput {
  /** The checkpointed or current agent ID; undefined for a first registration. */
  readonly id: string | undefined;
  readonly hostname: string;
  readonly ip: string;
  readonly port: number;
  /** `https` when the agent's HTTP API serves TLS. */
  readonly scheme?: 'http' | 'https';
  readonly resources: Resources;
  readonly attributes: readonly IAttribute[];
  /** Tasks the agent knows (running, or terminal with updates not yet acknowledged). */
  readonly tasks: readonly TaskRecord[];
}

/** REGISTER without an ID; REREGISTER with it, its tasks, their latest states and their frameworks. */
export function registerCall(input: RegisterInput): IAgentCall {
  const agentInfo = {
    hostname: input.hostname,
    ip: input.ip,
    port: input.port,
    ...(input.scheme === 'https' ? { scheme: 'https' } : {}),
    resources: input.resources.toProto(),
    attributes: [...input.attributes],
    ...(input.id === undefined ? {} : { id: { value: input.id } }),
  };
  if (input.id === undefined) return { type: AgentCallType.REGISTER, register: { agentInfo, version: '0.1.0' } };
  const frameworks = new Map<string, IFrameworkInfo>();
  for (const t of input.tasks) frameworks.set(t.frameworkId, t.framework);
  return {
    type: AgentCallType.REREGISTER,
    agentId: { value: input.id },
    register: {
      agentInfo,
      version: '0.1.0',
      tasks: input.tasks.map((t) => ({
        frameworkId: { value: t.frameworkId },
        task: { ...t.task, agentId: { value: input.id ?? '' } },
        status: {
          taskId: { value: t.taskId },
          state: t.state,
          source: TaskStatusSource.SOURCE_AGENT,
          agentId: { value: input.id ?? '' },
        },
      })),
      frameworks: [...frameworks.values()],
    },
  };
}
