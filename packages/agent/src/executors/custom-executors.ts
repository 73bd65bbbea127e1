// Every custom executor on this agent, by (framework, executor ID): starts
// one on a task's first need, reuses it for later tasks of the same executor
// ID, and routes SUBSCRIBE, framework messages and acknowledgements to it.
import type { ExecutorCall } from '@mesocosm/protocol';
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
      this.executors.set(k, next);
      void next.exited.then(() => {
        if (this.executors.get(k) === next) this.executors.delete(k);
      });
    }
    const owner = executor;
    const tk = key(record.frameworkId, record.taskId);
    this.byTask.set(tk, owner);
    const handle = owner.addTask(record);
    // Kept until the executor is gone: acknowledgements come after the task ended.
    void owner.exited.then(() => {
      if (this.byTask.get(tk) === owner) this.byTask.delete(tk);
    });
    return handle;
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
