// The I/O shell around Batch: subscribe, place pending tasks on offers,
// decline the rest with a long filter, SUPPRESS when nothing is pending,
// REVIVE when a task ends and others still wait, tear down at the end.
import { isTerminalState, matchOffers, taskStateName, type SchedulerDriver } from '@mesocosm/framework-sdk';
import type { Batch, TaskOutcome } from './batch.js';

/** How long declined offers stay away: we SUPPRESS or REVIVE explicitly. */
export const DECLINE_REFUSE_SECONDS = 3600;

/** The outcome of {@link runBatch}. */
export interface BatchOutcome {
  results: TaskOutcome[];
  /** True when every task FINISHED. */
  succeeded: boolean;
  /** True when the batch was given up after the timeout. */
  timedOut: boolean;
  frameworkId: string;
}

/** Runs `batch` through `driver` until every task is terminal or `timeoutMs` passes. */
export async function runBatch(
  driver: SchedulerDriver,
  batch: Batch,
  timeoutMs: number,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<BatchOutcome> {
  let finish: (timedOut: boolean) => void = () => {};
  const over = new Promise<boolean>((resolve) => (finish = resolve));

  driver.on('offers', ({ offers }) => {
    const list = offers ?? [];
    const ids = (os: typeof list): string[] => os.map((o) => o.id?.value ?? '');
    if (!batch.hasPending()) {
      if (list.length > 0) driver.decline(ids(list), { refuseSeconds: DECLINE_REFUSE_SECONDS });
      return;
    }
    const match = matchOffers(list, batch.pending(), { strategy: 'spread' });
    for (const { offer, tasks } of match.launches) {
      driver.launch(ids([offer]), tasks);
      for (const t of tasks) batch.launched(t.taskId?.value ?? '', offer.agentId?.value ?? '');
      log(`launched ${tasks.length} task(s) on agent ${offer.agentId?.value ?? '?'}`);
    }
    if (match.unused.length > 0) {
      driver.decline(ids(match.unused), { refuseSeconds: DECLINE_REFUSE_SECONDS }, match.declineReasons);
    }
    if (!batch.hasPending()) driver.suppress();
  });

  driver.on('update', ({ status }) => {
    const taskId = status?.taskId?.value ?? '';
    const state = taskStateName(status?.state);
    if (!batch.update(taskId, state, status?.agentId?.value ?? '', status?.message ?? '')) return;
    log(`${taskId}: ${state}${status?.message ? ` (${status.message})` : ''}`);
    if (batch.done()) finish(false);
    // Resources came back and tasks still wait: clear our long decline filters.
    else if (isTerminalState(status?.state) && batch.hasPending()) driver.revive();
  });

  driver.on('error', (e) => log(`master reported an error: ${e.code ?? ''} ${e.message ?? ''}`));

  const timer = setTimeout(() => finish(true), timeoutMs);
  const { frameworkId } = await driver.start();
  log(`subscribed as framework ${frameworkId}`);
  const timedOut = await over;
  clearTimeout(timer);
  // Let the driver acknowledge the last update (after our handler returns) before TEARDOWN.
  await new Promise((resolve) => setImmediate(resolve));
  await driver.teardown();
  await driver.stop();
  return { results: batch.results(), succeeded: !timedOut && batch.succeeded(), timedOut, frameworkId };
}
