// The scheduler's I/O shell: subscribe, launch every task onto one offer
// with one executor, collect the results from the updates, tear down.
import { isTerminalState, taskStateName, type SchedulerDriver } from '@mesocosm/framework-sdk';
import { executorInfo, placeAll } from './plan.js';

/** One task's outcome. */
export interface TaskResult {
  taskId: string;
  state: string;
  /** The executor's result (`data` of the terminal update), or its message. */
  result: string;
}

/** The outcome of {@link runExample}. */
export interface ExampleOutcome {
  results: TaskResult[];
  /** True when every task FINISHED. */
  succeeded: boolean;
  timedOut: boolean;
  frameworkId: string;
  agentId: string;
}

/** Options of {@link runExample}. */
export interface ExampleOptions {
  /** One task per number. */
  inputs: number[];
  /** The compiled executor (executor.js). */
  executorPath: string;
  timeoutMs: number;
  log?: (line: string) => void;
}

/** Runs one task per input on one custom executor, until all are terminal or the timeout passes. */
export async function runExample(driver: SchedulerDriver, o: ExampleOptions): Promise<ExampleOutcome> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const executor = executorInfo('fibonacci', o.executorPath);
  const results = new Map<string, TaskResult>();
  let agentId = '';
  let launched = false;
  let finish: (timedOut: boolean) => void = () => {};
  const over = new Promise<boolean>((resolve) => (finish = resolve));

  driver.on('offers', ({ offers }) => {
    const list = offers ?? [];
    const placement = launched ? undefined : placeAll(list, o.inputs, executor);
    const unused = list.filter((offer) => offer.id?.value !== placement?.offerId).map((offer) => offer.id?.value ?? '');
    if (placement) {
      launched = true;
      agentId = placement.agentId;
      driver.launch(placement.offerId, placement.tasks);
      driver.suppress();
      log(`launched ${placement.tasks.length} tasks on one executor on agent ${agentId}`);
    }
    if (unused.length > 0) driver.decline(unused, { refuseSeconds: 3600 });
  });

  driver.on('update', ({ status }) => {
    const taskId = status?.taskId?.value ?? '';
    const state = taskStateName(status?.state);
    log(`${taskId}: ${state}${status?.message ? ` (${status.message})` : ''}`);
    if (!isTerminalState(status?.state)) return;
    const data = Buffer.from(status?.data ?? []).toString();
    results.set(taskId, { taskId, state, result: data || (status?.message ?? '') });
    if (results.size === o.inputs.length) finish(false);
  });

  const timer = setTimeout(() => finish(true), o.timeoutMs);
  const { frameworkId } = await driver.start();
  log(`subscribed as framework ${frameworkId}`);
  const timedOut = await over;
  clearTimeout(timer);
  // Let the driver acknowledge the last update before TEARDOWN.
  await new Promise((resolve) => setImmediate(resolve));
  await driver.teardown();
  const list = o.inputs.map(
    (_, i) => results.get(`fib-${i + 1}`) ?? { taskId: `fib-${i + 1}`, state: 'PENDING', result: '' },
  );
  return {
    results: list,
    succeeded: !timedOut && list.every((r) => r.state === 'TASK_FINISHED'),
    timedOut,
    frameworkId,
    agentId,
  };
}
