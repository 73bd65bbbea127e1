// Taking over the custom executors a previous run of the agent checkpointed
// (checkpoint/executor-checkpoint.ts): their tasks go back into the task
// book with their latest states (so that re-registration reports them), and
// each run is handed to the custom executors, which wait for it to
// subscribe again (executors/custom-executor.ts). Synchronous: it runs
// before the executor API serves, so a quick executor finds its run.
import { isTerminalState, type Logger } from '@mesocosm/protocol';
import type { ExecutorCheckpoint } from '../checkpoint/executor-checkpoint.js';
import { latestState } from '../executors/custom-checkpoint.js';
import type { CustomExecutors } from '../executors/custom-executors.js';
import type { TaskExecutor } from '../executors/executor.js';
import type { StatusUpdateManager } from '../status-updates/status-update-manager.js';
import type { TaskBook, TaskRecord } from './task-book.js';

/** What the recovery of custom executors works with. */
export interface CustomRecoveryDeps {
  readonly book: TaskBook;
  readonly statusUpdates: StatusUpdateManager;
  readonly customExecutors: CustomExecutors;
  readonly logger: Logger;
  /** Tracks the handle of a recovered task (kills reach it). */
  readonly adopt: (record: TaskRecord, executor: TaskExecutor) => void;
}

/** See the file comment. */
export function recoverCustomExecutors(checkpoints: readonly ExecutorCheckpoint[], deps: CustomRecoveryDeps): void {
  for (const c of checkpoints) {
    const records: TaskRecord[] = [];
    for (const t of c.tasks) {
      if (deps.book.get(c.frameworkId, t.taskId)) continue;
      const record = deps.book.add({
        frameworkId: c.frameworkId,
        taskId: t.taskId,
        task: t.task,
        framework: c.framework,
        containerId: c.containerId,
      });
      record.state = latestState(t, deps.statusUpdates.pending(c.frameworkId, t.taskId));
      record.killRequested = t.killRequested;
      if (c.sandbox !== undefined) record.directory = c.sandbox;
      if (c.pid !== undefined) record.pid = c.pid;
      records.push(record);
    }
    deps.logger.info('recovering a custom executor', {
      frameworkId: c.frameworkId,
      executorId: c.executorId,
      pid: c.pid,
      tasks: records.map((r) => r.taskId),
    });
    const handles = deps.customExecutors.recover(c, records);
    for (const record of records) {
      const handle = handles.get(record.taskId);
      if (handle) deps.adopt(record, handle);
      // Terminal and acknowledged before the checkpoint caught up: nothing left to report.
      if (isTerminalState(record.state) && deps.statusUpdates.pending(c.frameworkId, record.taskId).length === 0)
        deps.book.complete(c.frameworkId, record.taskId);
    }
  }
}
