// The pipeline framework's I/O shell: the SDK's high-level Scheduler places
// the stage tasks (one custom executor each); the driver carries the
// messages: framework -> executor with `driver.message`, executor ->
// framework as `message` events. A timer drives the core's resends.
import {
  DriverStoppedError,
  Scheduler,
  isTerminalState,
  taskStateName,
  type IExecutorInfo,
  type Logger,
  type SchedulerDriver,
  type WantedTask,
} from '@mesocosm/framework-sdk';
import type { Merged, Outgoing, Pipeline, StageTask } from './pipeline.js';
import { decodeFromStage, encodeMessage } from './wire.js';

/** Resources of each stage task; its executor runs inside them. */
export const STAGE_RESOURCES = 'cpus:0.1;mem:128';

/** Options of {@link runPipeline}. */
export interface RunOptions {
  /** The compiled stage executors. */
  counterPath: string;
  mergerPath: string;
  /** How many top words the merger reports. */
  top: number;
  timeoutMs: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** The Scheduler's logger (default: the SDK's stderr logger). */
  logger?: Logger;
}

/** The outcome of {@link runPipeline}. */
export interface PipelineOutcome {
  merged: Merged | undefined;
  tasks: StageTask[];
  succeeded: boolean;
  timedOut: boolean;
  /** Why the pipeline stopped early, if it did. */
  failure: string | undefined;
  frameworkId: string;
}

/** A stage's executor: `node <script>`. */
export function stageExecutor(name: string, scriptPath: string, nodePath = process.execPath): IExecutorInfo {
  return { executorId: { value: name }, name, command: { value: nodePath, arguments: ['node', scriptPath] } };
}

/** Runs `pipeline` through `driver` until it is done, fails, or `timeoutMs` passes. */
export async function runPipeline(
  driver: SchedulerDriver,
  pipeline: Pipeline,
  o: RunOptions,
): Promise<PipelineOutcome> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  let failure: string | undefined;
  let finish: (timedOut: boolean) => void = () => {};
  const over = new Promise<boolean>((resolve) => (finish = resolve));

  const send = (out: readonly Outgoing[]): void => {
    for (const { to, message } of out) {
      if (!to.agentId) continue; // not placed yet: the core sends again later
      try {
        driver.message(to.agentId, to.executorId, encodeMessage(message));
      } catch (err) {
        if (!(err instanceof DriverStoppedError)) throw err;
      }
    }
  };
  const check = (): void => {
    failure ??= pipeline.failure();
    if (failure || pipeline.done()) finish(false);
  };

  const scheduler = new Scheduler(driver, {
    ...(o.logger ? { logger: o.logger } : {}),
    onLaunched: (tasks) => {
      for (const t of tasks) log(`launched ${t.taskId} on agent ${t.offer.agentId?.value ?? '?'}`);
    },
    onUpdate: (status) => {
      const taskId = status.taskId?.value ?? '';
      const state = taskStateName(status.state);
      log(`${taskId}: ${state}${status.message ? ` (${status.message})` : ''}`);
      send(pipeline.update(taskId, state, status.agentId?.value ?? '', isTerminalState(status.state), Date.now()));
      check();
    },
  });
  driver.on('message', ({ agentId, executorId, data }) => {
    const from = { agentId: agentId?.value ?? '', executorId: executorId?.value ?? '' };
    let out: Outgoing[] | string;
    try {
      out = pipeline.received(from, decodeFromStage(data), Date.now());
    } catch (err) {
      out = (err as Error).message;
    }
    if (typeof out === 'string') log(`ignoring a message from ${from.executorId}: ${out}`);
    else send(out);
    check();
  });
  driver.on('error', (e) => log(`master reported an error: ${e.code ?? ''} ${e.message ?? ''}`));

  const counter: WantedTask = {
    taskId: 'counter',
    resources: STAGE_RESOURCES,
    executor: stageExecutor('counter', o.counterPath),
  };
  const merger: WantedTask = {
    taskId: 'merger',
    resources: STAGE_RESOURCES,
    executor: stageExecutor('merger', o.mergerPath),
    data: Buffer.from(String(o.top)),
  };
  for (const [key, tasks] of pipeline.wanted(counter, merger)) scheduler.want(key, tasks);

  const timer = setTimeout(() => finish(true), o.timeoutMs);
  const resend = setInterval(() => send(pipeline.tick(Date.now())), Math.max(50, pipeline.config.resendMs / 2));
  scheduler.start().then(
    ({ frameworkId }) => log(`subscribed as framework ${frameworkId}`),
    (err: unknown) => {
      if (err instanceof DriverStoppedError) return;
      failure ??= `cannot subscribe: ${err instanceof Error ? err.message : String(err)}`;
      finish(false);
    },
  );
  const timedOut = await over;
  clearTimeout(timer);
  clearInterval(resend);
  const frameworkId = driver.frameworkId ?? '';
  // Let the driver acknowledge the last update before TEARDOWN (which kills what still runs).
  await new Promise((resolve) => setImmediate(resolve));
  if (driver.isSubscribed) await driver.teardown();
  await scheduler.stop();
  return {
    merged: pipeline.result(),
    tasks: pipeline.stageTasks(),
    succeeded: !timedOut && !failure && pipeline.done(),
    timedOut,
    failure,
    frameworkId,
  };
}
