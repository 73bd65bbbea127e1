// Re-attaching to the command tasks a previous run of the agent launched
// (from their checkpoints): a task whose process still runs (same pid, same
// start time) is watched again and re-registered as it was; one that ended
// while the agent was down is reported with the exit status it recorded; a
// terminal one is kept until its updates are acknowledged.
import {
  isTerminalState,
  TaskState,
  TaskStatusReason,
  TaskStatusSource,
  type Clock,
  type Logger,
} from '@mesocosm/protocol';
import { exitStatusFile, type TaskCheckpoint } from '../checkpoint/task-checkpoint.js';
import type { TaskCheckpointer } from '../checkpoint/task-checkpointer.js';
import type { StatusChange, TaskExecutor } from '../executors/executor.js';
import { ReattachedCommandExecutor } from '../executors/reattached-command.js';
import type { Isolator } from '../isolation/isolator.js';
import type { StatusUpdateManager } from '../status-updates/status-update-manager.js';
import type { TaskBook, TaskRecord } from './task-book.js';
import { containerLimits } from './container-limits.js';

/** How often a re-attached task's pid is looked at. */
const REATTACHED_POLL_MS = 200;

/** What recovery works with (the task manager's, plus two of its hooks). */
export interface RecoveryDeps {
  readonly workDir: string;
  readonly isolator: Isolator;
  readonly statusUpdates: StatusUpdateManager;
  readonly book: TaskBook;
  readonly checkpointer: TaskCheckpointer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly report: (record: TaskRecord, change: StatusChange, source?: TaskStatusSource) => void;
  /** Tracks the executor of a re-attached task. */
  readonly adopt: (record: TaskRecord, executor: TaskExecutor) => void;
}

/** See the file comment. */
export async function recoverCommandTasks(checkpoints: readonly TaskCheckpoint[], deps: RecoveryDeps): Promise<void> {
  for (const c of checkpoints) {
    const { frameworkId, taskId } = c;
    if (deps.book.get(frameworkId, taskId)) continue;
    const record = deps.book.add({
      frameworkId,
      taskId,
      task: c.task,
      framework: c.framework,
      containerId: c.containerId,
    });
    record.state = c.state;
    record.killRequested = c.killRequested;
    if (c.directory !== undefined) record.directory = c.directory;
    if (isTerminalState(c.state)) {
      // Acknowledged before the checkpoint could be removed: nothing left to do.
      if (deps.statusUpdates.pending(frameworkId, taskId).length === 0) {
        deps.book.complete(frameworkId, taskId);
        deps.checkpointer.remove(frameworkId, taskId);
      }
      continue;
    }
    if (c.pid === undefined) {
      deps.logger.warn('a task was being launched when the agent stopped', { taskId });
      deps.report(
        record,
        {
          state: TaskState.TASK_FAILED,
          reason: TaskStatusReason.REASON_AGENT_RESTARTED,
          message: 'The agent restarted while it was launching the task',
        },
        TaskStatusSource.SOURCE_AGENT,
      );
      continue;
    }
    record.pid = c.pid;
    deps.checkpointer.adopt(record, c.pid, c.pidStartTime);
    deps.logger.info('re-attaching to a task', { taskId, pid: c.pid });
    const executor = new ReattachedCommandExecutor({
      record,
      pid: c.pid,
      pidStartTime: c.pidStartTime,
      exitStatusFile: exitStatusFile(deps.workDir, frameworkId, taskId),
      container: await deps.isolator.prepare(c.containerId, containerLimits(c.task)),
      clock: deps.clock,
      logger: deps.logger,
      report: (change) => deps.report(record, change),
      pollMs: REATTACHED_POLL_MS,
    });
    deps.adopt(record, executor);
    await executor.launch();
  }
}
