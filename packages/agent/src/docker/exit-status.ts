// The terminal status of a Docker task, from how its container ended. Pure.
import { TaskState, TaskStatusReason } from '@mesocosm/protocol';
import type { StatusChange } from '../executors/executor.js';
import { memoryLimitMessage } from '../isolation/isolator.js';

/** How a container ended, as `docker inspect` tells it. */
export interface ContainerExit {
  readonly exitCode: number;
  readonly oomKilled: boolean;
  /** The engine's error for a container that could not run (State.Error). */
  readonly error?: string;
}

/** The terminal status: killed on request, over its memory, finished (0) or failed. */
export function dockerTerminalStatus(exit: ContainerExit, killed: boolean, memMb: number | undefined): StatusChange {
  const how = `Container exited with status ${exit.exitCode}`;
  if (killed) return { state: TaskState.TASK_KILLED, message: how };
  if (exit.oomKilled)
    return {
      state: TaskState.TASK_FAILED,
      reason: TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY,
      message:
        memMb === undefined
          ? `Memory limit exceeded: the container was killed by the OOM killer (${how.toLowerCase()})`
          : memoryLimitMessage(memMb, `the container was killed by the OOM killer; ${how.toLowerCase()}`),
    };
  if (exit.exitCode === 0) return { state: TaskState.TASK_FINISHED, message: how };
  return {
    state: TaskState.TASK_FAILED,
    reason: TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED,
    message: exit.error ? `${how}: ${exit.error}` : how,
  };
}
