// The pi framework's I/O shell, on the SDK's high-level Scheduler: it wants
// one task per seed; the Scheduler matches them to offers, declines the rest
// and suppresses offers once all are launched. Each task's result comes back
// in its TASK_FINISHED update; when every task is over, the framework tears
// itself down.
import {
  DriverStoppedError,
  Scheduler,
  taskStateName,
  type IExecutorInfo,
  type Logger,
  type SchedulerDriver,
} from '@mesocosm/framework-sdk';
import type { PiJob, TaskOutcome } from './job.js';

/** The Scheduler key of the job's tasks. */
const KEY = 'pi';

/** Options of {@link runPi}. */
export interface RunOptions {
  /** The compiled executor (executor.js). */
  executorPath: string;
  /** Give up when the job is not over after this long. */
  timeoutMs: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** The Scheduler's own logger (default: the SDK's stderr logger). */
  logger?: Logger;
}

/** The outcome of {@link runPi}. */
export interface PiOutcome {
  results: TaskOutcome[];
  /** The combined estimate, when every task FINISHED with a result. */
  estimate: number | undefined;
  succeeded: boolean;
  timedOut: boolean;
  frameworkId: string;
}

/** The executor of every task: `node executor.js` (each task gets its own executor ID). */
export function executorInfo(executorPath: string, nodePath = process.execPath): IExecutorInfo {
  return {
    executorId: { value: 'pi' },
    name: 'pi sampler',
    command: { value: nodePath, arguments: ['node', executorPath] },
  };
}

/** Runs `job` through `driver` until every task is terminal or `timeoutMs` passes. */
export async function runPi(driver: SchedulerDriver, job: PiJob, o: RunOptions): Promise<PiOutcome> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  let finish: (timedOut: boolean) => void = () => {};
  const over = new Promise<boolean>((resolve) => (finish = resolve));

  const scheduler = new Scheduler(driver, {
    ...(o.logger ? { logger: o.logger } : {}),
    onLaunched: (tasks) => {
      for (const t of tasks) log(`launched ${t.taskId} on agent ${t.offer.agentId?.value ?? '?'}`);
    },
    onUpdate: (status) => {
      const taskId = status.taskId?.value ?? '';
      const state = taskStateName(status.state);
      if (!job.update(taskId, state, status.agentId?.value ?? '', status.message ?? '', status.data)) return;
      log(`${taskId}: ${state}${status.message ? ` (${status.message})` : ''}`);
      if (job.done()) finish(false);
    },
  });
  driver.on('error', (e) => log(`master reported an error: ${e.code ?? ''} ${e.message ?? ''}`));
  scheduler.want(KEY, job.wanted(executorInfo(o.executorPath)));

  const timer = setTimeout(() => finish(true), o.timeoutMs);
  scheduler.start().then(
    ({ frameworkId }) => log(`subscribed as framework ${frameworkId}`),
    (err: unknown) => {
      if (err instanceof DriverStoppedError) return; // stopped by us, after the timeout
      log(`cannot subscribe: ${err instanceof Error ? err.message : String(err)}`);
      finish(true);
    },
  );
  const timedOut = await over;
  clearTimeout(timer);
  const frameworkId = driver.frameworkId ?? '';
  // Let the driver acknowledge the last update (after our handler returns) before TEARDOWN.
  await new Promise((resolve) => setImmediate(resolve));
  // Without a subscription (no master reached in time) there is nothing to tear down.
  if (driver.isSubscribed) await driver.teardown();
  await scheduler.stop();
  const succeeded = !timedOut && job.succeeded();
  return { results: job.results(), estimate: job.estimate(), succeeded, timedOut, frameworkId };
}
