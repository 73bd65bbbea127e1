// A custom executor's tasks to and from their checkpoint
// (checkpoint/executor-checkpoint.ts). Pure.
import { isTerminalState, TaskStatusSource, type ITaskStatus, type TaskState } from '@mesocosm/protocol';
import type { ExecutorTaskCheckpoint } from '../checkpoint/executor-checkpoint.js';
import type { TaskRecord } from '../tasks/task-book.js';
import { newCustomTask, type CustomTask } from './custom-task.js';

/** An update of the status update manager not yet acknowledged (its uuid in hex). */
export interface PendingUpdate {
  readonly uuid: string;
  readonly status: ITaskStatus;
}

/** The checkpoint of one task. Pure. */
export function taskCheckpointOf(task: CustomTask): ExecutorTaskCheckpoint {
  return {
    taskId: task.record.taskId,
    task: task.record.task,
    state: task.record.state,
    killRequested: task.record.killRequested,
    launched: task.launched,
    heardFrom: task.heardFrom,
    uuids: Object.fromEntries(task.uuids),
  };
}

/**
 * The latest state of a checkpointed task: that of its newest update still
 * queued (the queue is checkpointed before the executor's checkpoint, so it
 * may be one step ahead after a crash), else the checkpointed one. Pure.
 */
export function latestState(c: Pick<ExecutorTaskCheckpoint, 'state'>, pending: readonly PendingUpdate[]): TaskState {
  return pending.at(-1)?.status.state ?? c.state;
}

/**
 * A task taken over from its checkpoint. Its executor's uuids are reconciled
 * with the update queue: one still queued is pending (even when the crash
 * came before the executor's checkpoint recorded it); a pending one no
 * longer queued was acknowledged (the crash came before the executor's
 * checkpoint recorded that). Pure.
 */
export function restoreCustomTask(
  record: TaskRecord,
  c: ExecutorTaskCheckpoint,
  pending: readonly PendingUpdate[],
): CustomTask {
  const task = newCustomTask(record);
  task.launched = c.launched;
  task.heardFrom = c.heardFrom;
  const queued = new Set(pending.map((u) => u.uuid));
  for (const [uuid, state] of Object.entries(c.uuids))
    task.uuids.set(uuid, state === 'pending' && !queued.has(uuid) ? 'acknowledged' : state);
  for (const u of pending)
    if (!task.uuids.has(u.uuid) && u.status.source === TaskStatusSource.SOURCE_EXECUTOR) {
      task.uuids.set(u.uuid, 'pending');
      task.heardFrom = true;
      task.launched = true;
    }
  if (isTerminalState(record.state)) task.resolveDone();
  return task;
}
