// Whether this agent can start a task's custom executor. Pure.
import { v1, type IExecutorInfo } from '@mesocosm/protocol';

/** Why this agent cannot start `executor`, or undefined when it can. */
export function customExecutorProblem(executor: IExecutorInfo): string | undefined {
  const c = executor.container;
  if (c && (c.type === v1.ContainerInfo.Type.DOCKER || c.docker))
    return 'Custom executors in Docker containers are not supported yet by this agent: give the ExecutorInfo a command';
  const command = executor.command;
  if (!command || (!command.value && (command.arguments ?? []).length === 0))
    return 'The custom executor has no command to run (ExecutorInfo.command)';
  return undefined;
}
