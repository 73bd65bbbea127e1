// Errors of the testing helpers.
import { MesocosmError } from '@mesocosm/protocol';
import type { ClusterTask } from './cluster-tasks.js';

/** A condition did not hold within its deadline. */
export class WaitTimeoutError extends MesocosmError {
  constructor(message: string, cause?: unknown) {
    super('TIMEOUT', message, { cause });
  }
}

/** A cluster process could not start, or died before it was ready. */
export class LocalClusterError extends MesocosmError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('INTERNAL', message, options);
  }
}

/** A task can no longer reach the state a test waits for (it ended otherwise), or the wait was ill-posed. */
export class TaskStateError extends MesocosmError {
  /** The task, as `/master/state` last showed it (its `state` and `statuses`), when it was seen. */
  readonly task: ClusterTask | undefined;

  constructor(taskId: string, message: string, task: ClusterTask | undefined) {
    super('CONFLICT', `task '${taskId}': ${message}`, { details: { taskId } });
    this.task = task;
  }
}
