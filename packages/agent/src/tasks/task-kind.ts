// Which executor a task needs, and whether this agent has it yet. Pure.
import type { ITaskInfo } from '@mesocosm/protocol';
import { isDockerTask } from '../docker/container-spec.js';
import { customExecutorProblem } from '../executors/custom-kind.js';

/** Why this agent cannot run `task` yet, or undefined when the command or Docker executor can. */
export function unsupportedReason(task: ITaskInfo): string | undefined {
  if (task.executor) return customExecutorProblem(task.executor);
  if (isDockerTask(task)) return undefined;
  if (!task.command || !task.command.value) return 'The task has no command to run';
  return undefined;
}
