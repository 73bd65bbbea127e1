// Every custom executor on this agent, by (framework, executor ID): starts
// one on a task's first need, reuses it for later tasks of the same executor
// ID, and routes SUBSCRIBE, framework messages and acknowledgements to it.
// After an agent restart it takes over the runs the previous agent left.
import type { ExecutorCall } from '@mesocosm/protocol';
import type { ExecutorCheckpoint } from '../checkpoint/executor-checkpoint.js';
import type { ExecutorRegistry, ExecutorSession, ExecutorStream } from '../executor-api/executor-registry.js';
import type { TaskRecord } from '../tasks/task-book.js';
import { CustomExecutor, type CustomExecutorDeps } from './custom-executor.js';
import type { TaskExecutor } from './executor.js';

function key(frameworkId: string, executorId: string): string {
  return `${frameworkId}\u0000${executorId}`;
}

/** See the file comment. */
export class CustomExecutors implements ExecutorRegistry {
  private readonly executors = new Map<string, CustomExecutor>();
  /** Which executor runs a task, by framework and task ID. */
  private readonly byTask = new Map<string, CustomExecutor>();

  constructor(private readonly deps: CustomExecutorDeps) {}

  /** The executor of a task with `task.executor` set; starts one or reuses the running one. */
  taskExecutor(record: TaskRecord): TaskExecutor {
    const info = record.task.executor ?? {};
    const executorId = info.executorId?.value ?? '';
    const k = key(record.frameworkId, executorId);
    let executor = this.executors.get(k);
    if (!executor?.accepting) {
      const next = new CustomExecutor(
        this.deps,
        record.frameworkId,
        executorId,
        info,
        record.framework,
        executor?.exited,
      );
      executor = next;
      this.live(k, next);
    }
    this.own(record.frameworkId, record.taskId, executor);
    return executor.addTask(record);
  }

  /**
   * Takes over a run checkpointed by a previous run of the agent, with the
   * records of its tasks (already in the task book); returns their handles.
   * Synchronous, so that the run is known before the executor API serves.
   */
  recover(c: ExecutorCheckpoint, records: readonly TaskRecord[]): Map<string, TaskExecutor> {
    const k = key(c.frameworkId, c.executorId);
    const executor = new CustomExecutor(
      this.deps,
      c.frameworkId,
      c.executorId,
      c.info,
      c.framework,
      this.executors.get(k)?.exited,
      c.containerId,
    );
    for (const r of records) this.own(c.frameworkId, r.taskId, executor);
    const handles = executor.recover(c, records);
    if (executor.accepting) this.live(k, executor);
    return handles;
  }

  private live(k: string, executor: CustomExecutor): void {
    this.executors.set(k, executor);
    void executor.exited.then(() => {
      if (this.executors.get(k) === executor) this.executors.delete(k);
    });
  }

  private own(frameworkId: string, taskId: string, executor: CustomExecutor): void {
    const tk = key(frameworkId, taskId);
    this.byTask.set(tk, executor);
    // Kept until the executor is gone and settled: acknowledgements come after the task ended.
    void executor.finished.then(() => {
      if (this.byTask.get(tk) === executor) this.byTask.delete(tk);
    });
  }

  subscribe(
    frameworkId: string,
    executorId: string,
    call: ExecutorCall,
    stream: ExecutorStream,
  ): ExecutorSession | string {
    const executor = this.executors.get(key(frameworkId, executorId));
    if (!executor)
      return `no executor '${executorId}' of framework '${frameworkId}' was launched by this agent: executors subscribe with the IDs in their environment`;
    return executor.subscribe(call, stream);
  }

  /** The container executor `executorId` of `frameworkId` runs in, if it runs. */
  containerId(frameworkId: string, executorId: string): string | undefined {
    return this.executors.get(key(frameworkId, executorId))?.containerId;
  }

  /** AgentEvent MESSAGE: framework data for an executor. Returns false when there is no such executor. */
  message(frameworkId: string, executorId: string, data: Uint8Array): boolean {
    const executor = this.executors.get(key(frameworkId, executorId));
    if (!executor) return false;
    executor.message(data);
    return true;
  }

  /** A status update was acknowledged by its framework (through the master). */
  acknowledged(frameworkId: string, taskId: string, uuid: string): void {
    this.byTask.get(key(frameworkId, taskId))?.acknowledged(taskId, uuid);
  }

  /** Agent stopping: shut every executor down and wait for it (`kill`), or leave them running. */
  async stop(kill: boolean): Promise<void> {
    const all = [...this.executors.values()];
    if (!kill) {
      for (const e of all) e.detach();
      return;
    }
    await Promise.all(all.map((e) => e.shutdown()));
  }
}
