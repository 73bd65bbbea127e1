// Building RUN_TASK events for tests.
import { AgentEventType, Resources, type IAgentEvent, type ICommandInfo, type ITaskInfo } from '@mesocosm/protocol';

export const FRAMEWORK_ID = 'fw-1';

/** A RUN_TASK for a shell command with the given resources. */
export function runShellTask(
  taskId: string,
  shell: string,
  resources = 'cpus:0.1;mem:64',
  extra: Partial<ITaskInfo> = {},
): IAgentEvent {
  const command: ICommandInfo = { shell: true, value: shell };
  return {
    type: AgentEventType.RUN_TASK,
    runTask: {
      framework: { id: { value: FRAMEWORK_ID }, name: 'test', user: 'root' },
      task: {
        name: taskId,
        taskId: { value: taskId },
        resources: Resources.parse(resources).toProto(),
        command,
        ...extra,
      },
    },
  };
}

/** A KILL_TASK, optionally with a grace period. */
export function killTask(taskId: string, graceSeconds?: number): IAgentEvent {
  return {
    type: AgentEventType.KILL_TASK,
    killTask: {
      frameworkId: { value: FRAMEWORK_ID },
      taskId: { value: taskId },
      ...(graceSeconds === undefined ? {} : { killPolicy: { gracePeriodSeconds: graceSeconds } }),
    },
  };
}
