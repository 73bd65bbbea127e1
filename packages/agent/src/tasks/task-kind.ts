// Which executor a task needs, and whether this agent has it yet. Pure.
import { v1, type ITaskInfo } from '@mesocosm/protocol';

/** Why this agent cannot run `task` yet, or undefined when the command executor can. */
export function unsupportedReason(task: ITaskInfo): string | undefined {
  const container = task.container ?? task.executor?.container;
  if (container && (container.type === v1.ContainerInfo.Type.DOCKER || container.docker))
    return 'Docker containers are not supported yet by this agent';
  if (task.executor) return 'Custom executors are not supported yet by this agent';
  if (!task.command || !task.command.value) return 'The task has no command to run';
  return undefined;
}
