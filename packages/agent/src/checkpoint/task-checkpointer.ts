// Keeps the checkpoints of the agent's command tasks up to date: called on
// each state change of a task (before its status update is sent) and once
// the task is terminal and fully acknowledged.
import type { Logger } from '@mesocosm/protocol';
import { isDockerTask } from '../docker/container-spec.js';
import type { TaskRecord } from '../tasks/task-book.js';
import { processStartTime } from './process-identity.js';
import { checkpointOf, removeTaskCheckpoint, writeTaskCheckpoint } from './task-checkpoint.js';

/** True for the tasks checkpointed here: command tasks (not Docker ones, not custom executors'). Pure. */
export function isCheckpointedTask(record: Pick<TaskRecord, 'task'>): boolean {
  return !record.task.executor && !isDockerTask(record.task);
}

/** See the file comment. */
export class TaskCheckpointer {
  private readonly startTimes = new WeakMap<TaskRecord, { pid: number; start: number | undefined }>();

  constructor(
    private readonly workDir: string,
    private readonly logger: Logger,
  ) {}

  /** Remembers the start time of a re-attached task's pid (read before it was checkpointed). */
  adopt(record: TaskRecord, pid: number, start: number | undefined): void {
    this.startTimes.set(record, { pid, start });
  }

  /** Writes the task's checkpoint; a failure is logged (the task runs on, but would be lost by a restart). */
  save(record: TaskRecord): void {
    if (!isCheckpointedTask(record)) return;
    let known = this.startTimes.get(record);
    if (record.pid !== undefined && known?.pid !== record.pid) {
      known = { pid: record.pid, start: processStartTime(record.pid) };
      this.startTimes.set(record, known);
    }
    try {
      writeTaskCheckpoint(this.workDir, checkpointOf(record, known?.start));
    } catch (err) {
      this.logger.error('cannot checkpoint the task', { taskId: record.taskId, error: String(err) });
    }
  }

  /** Forgets a task that is terminal and acknowledged. */
  remove(frameworkId: string, taskId: string): void {
    try {
      removeTaskCheckpoint(this.workDir, frameworkId, taskId);
    } catch (err) {
      this.logger.warn('cannot remove the task checkpoint', { taskId, error: String(err) });
    }
  }
}
