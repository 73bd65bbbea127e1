// runExecutor: the common shape of an executor in one call. Each LAUNCH runs
// a function; its outcome becomes the task's terminal update; KILL and
// SHUTDOWN abort it.
import { TaskState, type ITaskInfo, type ITaskStatus, type TaskStatusReason } from '@mesocosm/protocol';
import { ExecutorDriver, type ExecutorDriverOptions } from './executor-driver.js';

/** What a task's function gets besides its TaskInfo. */
export interface ExecutorTaskContext {
  /** The task's ID. */
  readonly taskId: string;
  /** Aborted when the task is killed or the executor shuts down: stop then. */
  readonly signal: AbortSignal;
  /** Sends an intermediate update for this task (TASK_RUNNING is sent for you). */
  update(status: Omit<ITaskStatus, 'taskId'>): void;
  /** The executor's driver (e.g. `driver.sendMessage` to reach the framework). */
  readonly driver: ExecutorDriver;
}

/** How a task ended, when its function resolves (default: TASK_FINISHED). */
export interface ExecutorTaskResult {
  /** The final state (default `TASK_FINISHED`). */
  state?: TaskState;
  /** A reason for the final update. */
  reason?: TaskStatusReason;
  /** A message for the final update. */
  message?: string;
  /** Result bytes for the framework (the update's `data`). */
  data?: Uint8Array | string;
}

/** The behaviour of an executor run by {@link runExecutor}. */
export interface ExecutorHooks {
  /**
   * Runs one task. Resolve with its result (TASK_FINISHED by default); a
   * throw becomes TASK_FAILED with the error's message; a task killed
   * meanwhile ends TASK_KILLED whatever it returns.
   */
  launch(task: ITaskInfo, ctx: ExecutorTaskContext): Promise<ExecutorTaskResult | void> | ExecutorTaskResult | void;
  /** Called on KILL, after the task's signal was aborted. */
  kill?(taskId: string): void | Promise<void>;
  /** Data from the framework. */
  message?(data: Uint8Array): void | Promise<void>;
  /** Called on SHUTDOWN, once every task has ended. */
  shutdown?(): void | Promise<void>;
}

/** Options of {@link runExecutor}: the driver's, or a driver of your own. */
export interface RunExecutorOptions extends ExecutorDriverOptions {
  /** A driver made elsewhere (the other options are then ignored). */
  driver?: ExecutorDriver;
}

/**
 * Subscribes to the agent and runs tasks with `hooks` until the agent sends
 * SHUTDOWN (or the driver stops); resolves then. Rejects when the agent
 * refuses the executor.
 *
 * @example
 * ```ts
 * await runExecutor({
 *   launch: (task) => ({ data: `hello from ${task.taskId?.value}` }),
 * });
 * ```
 */
export async function runExecutor(hooks: ExecutorHooks, options: RunExecutorOptions = {}): Promise<void> {
  const driver = options.driver ?? new ExecutorDriver(options);
  const running = new Map<string, { abort: AbortController; done: Promise<void>; killed: boolean }>();
  const ended = new Set<string>();

  const run = (task: ITaskInfo): void => {
    const taskId = task.taskId?.value ?? '';
    if (running.has(taskId) || ended.has(taskId)) return; // a LAUNCH seen again after a reconnection
    const abort = new AbortController();
    const entry = { abort, killed: false, done: Promise.resolve() };
    running.set(taskId, entry);
    const update = (status: Omit<ITaskStatus, 'taskId'>): void => {
      if (!ended.has(taskId)) driver.update({ ...status, taskId: { value: taskId } });
    };
    const finish = (status: Omit<ITaskStatus, 'taskId'>): void => {
      update(status);
      ended.add(taskId);
      running.delete(taskId);
    };
    update({ state: TaskState.TASK_RUNNING });
    entry.done = (async () => {
      try {
        const result = (await hooks.launch(task, { taskId, signal: abort.signal, update, driver })) ?? {};
        if (entry.killed) finish({ state: TaskState.TASK_KILLED, message: 'Killed' });
        else
          finish({
            state: result.state ?? TaskState.TASK_FINISHED,
            ...(result.reason === undefined ? {} : { reason: result.reason }),
            ...(result.message === undefined ? {} : { message: result.message }),
            ...(result.data === undefined
              ? {}
              : { data: typeof result.data === 'string' ? Buffer.from(result.data) : result.data }),
          });
      } catch (err) {
        if (entry.killed) finish({ state: TaskState.TASK_KILLED, message: 'Killed' });
        else finish({ state: TaskState.TASK_FAILED, message: err instanceof Error ? err.message : String(err) });
      }
    })();
  };

  const kill = async (taskId: string): Promise<void> => {
    const entry = running.get(taskId);
    if (!entry) {
      if (!ended.has(taskId)) {
        ended.add(taskId);
        driver.update({ taskId: { value: taskId }, state: TaskState.TASK_KILLED, message: 'Unknown to the executor' });
      }
      return;
    }
    entry.killed = true;
    entry.abort.abort(new Error('killed'));
    await hooks.kill?.(taskId);
  };

  driver.on('launch', ({ task }) => {
    if (task) run(task);
  });
  // Not awaited: a kill must not wait for the task (the handler chain is sequential).
  driver.on('kill', ({ taskId }) => void kill(taskId?.value ?? ''));
  driver.on('message', ({ data }) => hooks.message?.(data ?? new Uint8Array()));
  driver.on('shutdown', () => {
    void (async () => {
      for (const [taskId, entry] of running) {
        entry.killed = true;
        entry.abort.abort(new Error('executor shutting down'));
        await hooks.kill?.(taskId);
      }
      await Promise.all([...running.values()].map((e) => e.done));
      await hooks.shutdown?.();
      await driver.stop();
    })();
  });
  await driver.start();
  await driver.stopped;
}
