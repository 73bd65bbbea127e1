// The placement framework's I/O shell: the SDK's high-level Scheduler places
// the instances (constraints checked against the offers and against where the
// other instances already run; one port picked from each offer's `ports`);
// each instance that starts RUNNING is asked over HTTP, on its port, who it
// is, until it answers or the run gives up.
import {
  DriverStoppedError,
  Scheduler,
  isTerminalState,
  taskStateName,
  type ICommandInfo,
  type Logger,
  type SchedulerDriver,
} from '@mesocosm/framework-sdk';
import type { Instance, InstanceBook } from './instances.js';

/** The Scheduler key of the instances. */
export const KEY = 'web';

/** How long one HTTP probe may take, and the pause between probes of one instance. */
const PROBE_TIMEOUT_MS = 1000;
const PROBE_PAUSE_MS = 200;

/** Options of {@link runPlacement}. */
export interface RunOptions {
  /** The compiled web server (server.js). */
  serverPath: string;
  timeoutMs: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** The Scheduler's logger (default: the SDK's stderr logger). */
  logger?: Logger;
}

/** The outcome of {@link runPlacement}. */
export interface PlacementOutcome {
  instances: Instance[];
  /** Offers refused for the instances, per reason (`constraint hostname:UNIQUE`, ...). */
  rejections: Record<string, number>;
  succeeded: boolean;
  timedOut: boolean;
  failure: string | undefined;
  frameworkId: string;
}

/** The instances' command: `node server.js`, which serves on $PORT0. */
export function serverCommand(serverPath: string, nodePath = process.execPath): ICommandInfo {
  return { shell: false, value: nodePath, arguments: ['node', serverPath] };
}

/** Asks `url` until it answers as `taskId` (true) or `give up` says so (false). */
async function probe(book: InstanceBook, taskId: string, url: string, givenUp: () => boolean): Promise<boolean> {
  while (!givenUp()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      if (res.ok && book.answer(taskId, await res.json())) return true;
    } catch {
      // not listening yet, or the answer is not JSON: ask again
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
  return false;
}

/** Runs the instances through `driver` until each answered on its port, one failed, or `timeoutMs` passes. */
export async function runPlacement(
  driver: SchedulerDriver,
  book: InstanceBook,
  o: RunOptions,
): Promise<PlacementOutcome> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  let failure: string | undefined;
  let ended = false;
  let finish: (timedOut: boolean) => void = () => {};
  const over = new Promise<boolean>((resolve) => (finish = resolve));
  over.then(
    () => (ended = true),
    () => undefined,
  );

  const scheduler = new Scheduler(driver, {
    ...(o.logger ? { logger: o.logger } : {}),
    onLaunched: (tasks) => {
      for (const t of tasks) {
        book.launched(t);
        log(`launched ${t.taskId} on ${t.offer.hostname ?? '?'} (agent ${t.offer.agentId?.value ?? '?'})`);
      }
    },
    onUpdate: (status) => {
      const taskId = status.taskId?.value ?? '';
      const state = taskStateName(status.state);
      log(`${taskId}: ${state}${status.message ? ` (${status.message})` : ''}`);
      const started = book.update(taskId, state, status.message ?? '', isTerminalState(status.state));
      failure ??= book.failure();
      if (failure) return finish(false);
      const url = book.url(taskId);
      if (!started || !url) return;
      void probe(book, taskId, url, () => ended).then((ok) => {
        if (!ok) return;
        log(`${taskId} answers on ${url}`);
        if (book.done()) finish(false);
      });
    },
  });
  driver.on('error', (e) => log(`master reported an error: ${e.code ?? ''} ${e.message ?? ''}`));
  scheduler.want(KEY, book.wanted(serverCommand(o.serverPath)));

  const timer = setTimeout(() => finish(true), o.timeoutMs);
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
  const rejections = { ...(scheduler.offerStats(KEY)?.rejections ?? {}) };
  const frameworkId = driver.frameworkId ?? '';
  // Let the driver acknowledge the last update before TEARDOWN, which stops the servers.
  await new Promise((resolve) => setImmediate(resolve));
  if (driver.isSubscribed) await driver.teardown();
  await scheduler.stop();
  return {
    instances: book.instances(),
    rejections,
    succeeded: !timedOut && !failure && book.done(),
    timedOut,
    failure,
    frameworkId,
  };
}
