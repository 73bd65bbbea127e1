// The framework of docs/sdk.md, the tutorial: a render farm that renders N
// frames as shell tasks, spread over racks, retrying a failed frame with
// backoff. docs/sdk.md shows the regions of this file; the docs test checks
// that it shows them as they are, and the tutorial's test runs them.
// #region imports
import {
  Scheduler,
  SchedulerDriver,
  backoffDelay,
  isTerminalState,
  parseConstraints,
  taskStateName,
  type ITaskStatus,
  type Logger,
  type WantedTask,
} from '@mesocosm/framework-sdk';
// #endregion imports

// #region options
/** What to render, and where the cluster is. */
export interface RenderOptions {
  /** The master: `host:port`, or `zk://host:2181/mesos` to follow the leader. */
  master: string;
  /** How many frames (one task each). */
  frames: number;
  /** Prefix of the task IDs (default `render`): `render.frame-0`, ... */
  job?: string;
  /** The shell command of a frame's attempt (default: a pretend render). */
  command?: (frame: number, attempt: number) => string;
  /** Attempts per frame before giving up (default 3). */
  maxAttempts?: number;
  logger?: Logger;
}

/** How a frame ended. */
export interface FrameResult {
  frame: number;
  /** The last attempt's task ID and final state. */
  taskId: string;
  state: string;
  attempts: number;
  /** Where the last attempt ran. */
  hostname: string;
}
// #endregion options

// #region tasks
/** At most two frames per host, and the frames spread evenly over two racks. */
const PLACEMENT = parseConstraints([
  ['hostname', 'MAX_PER', '2'],
  ['rack', 'GROUP_BY', '2'],
]);

const DEFAULT_COMMAND = (frame: number): string =>
  `echo "rendering frame ${frame} on $(hostname); preview on port $PORT0"`;

/** One attempt at one frame: 0.1 cpus, 32 MB, one host port ($PORT0), placed by PLACEMENT. */
function frameTask(options: RenderOptions, frame: number, attempt: number): WantedTask {
  const job = options.job ?? 'render';
  return {
    taskId: attempt === 0 ? `${job}.frame-${frame}` : `${job}.frame-${frame}.retry-${attempt}`,
    resources: 'cpus:0.1;mem:32',
    ports: 1,
    constraints: PLACEMENT,
    group: job, // the constraints count the tasks of this job only
    command: {
      value: (options.command ?? DEFAULT_COMMAND)(frame, attempt),
      environment: { variables: [{ name: 'FRAME', value: String(frame) }] },
    },
  };
}
// #endregion tasks

// #region run
/**
 * Renders every frame and resolves with each frame's outcome once all have
 * ended; then unregisters the framework (TEARDOWN).
 */
export async function renderFrames(options: RenderOptions): Promise<FrameResult[]> {
  const job = options.job ?? 'render';
  const maxAttempts = options.maxAttempts ?? 3;
  const driver = new SchedulerDriver({
    master: options.master,
    framework: { name: 'render-farm', user: 'nobody', failoverTimeout: 60 },
    ...(options.logger ? { logger: options.logger } : {}),
  });

  const frameOf = new Map<string, { frame: number; attempt: number }>(); // task ID -> frame
  const hostnameOf = new Map<string, string>(); // task ID -> where it was launched
  const results = new Map<number, FrameResult>();
  let finish: (results: FrameResult[]) => void = () => {};
  const finished = new Promise<FrameResult[]>((resolve) => (finish = resolve));

  const scheduler = new Scheduler(driver, {
    ...(options.logger ? { logger: options.logger } : {}),
    // Called with the tasks of each ACCEPT, before it is sent.
    onLaunched: (launched) => {
      for (const t of launched) hostnameOf.set(t.taskId, t.offer.hostname ?? '');
    },
    // Every status update; it is acknowledged once this returns.
    onUpdate: (status: ITaskStatus) => {
      const taskId = status.taskId?.value ?? '';
      const owner = frameOf.get(taskId);
      if (!owner || !isTerminalState(status.state)) return;
      const state = taskStateName(status.state);
      if (state !== 'TASK_FINISHED' && owner.attempt + 1 < maxAttempts) {
        // Retried by hand to pick the frame's next attempt; a WantedTask's `retry` policy does it for you.
        setTimeout(() => retry(owner.frame, owner.attempt + 1), backoffDelay(500, owner.attempt));
        return;
      }
      results.set(owner.frame, {
        frame: owner.frame,
        taskId,
        state,
        attempts: owner.attempt + 1,
        hostname: hostnameOf.get(taskId) ?? '',
      });
      if (results.size === options.frames) finish([...results.values()].sort((a, b) => a.frame - b.frame));
    },
  });

  /** Wants a frame again, under the job's key: the constraints count the job's running frames. */
  const retry = (frame: number, attempt: number): void => {
    const again = frameTask(options, frame, attempt);
    frameOf.set(again.taskId, { frame, attempt });
    const waiting = scheduler.pending().find((g) => g.key === job)?.tasks ?? [];
    scheduler.want(job, [...waiting, again]);
  };

  const tasks = Array.from({ length: options.frames }, (_, frame) => frameTask(options, frame, 0));
  for (const [frame, t] of tasks.entries()) frameOf.set(t.taskId, { frame, attempt: 0 });
  scheduler.want(job, tasks); // pending until offers fit them
  await scheduler.start(); // SUBSCRIBE; resolves once SUBSCRIBED

  const outcome = await finished;
  await driver.teardown(); // nothing left to run: unregister
  return outcome;
}
// #endregion run
