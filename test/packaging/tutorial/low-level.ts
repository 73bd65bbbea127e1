// docs/sdk.md, "The low-level driver": every call and event of the scheduler
// API, with the matching helpers, and the offer discipline written by hand.
// #region low-level
import {
  SchedulerDriver,
  isTerminalState,
  matchOffers,
  taskStateName,
  type Logger,
  type TaskRequest,
} from '@mesocosm/framework-sdk';

/** Runs shell commands, one task each, and resolves with each task's final state. */
export async function runCommands(master: string, commands: string[], logger?: Logger): Promise<Map<string, string>> {
  const pending: TaskRequest[] = commands.map((value, i) => ({
    taskId: `cmd-${i}`,
    resources: 'cpus:0.1;mem:32',
    command: { value },
  }));
  const ended = new Map<string, string>();
  const driver = new SchedulerDriver({
    master,
    framework: { name: 'commands', user: 'nobody' },
    ...(logger ? { logger } : {}),
  });

  driver.on('offers', ({ offers }) => {
    const m = matchOffers(offers ?? [], pending.splice(0));
    for (const { offer, tasks } of m.launches) driver.launch(offer.id?.value ?? '', tasks);
    pending.push(...m.unmatched.map((u) => u.request)); // try again with the next offers
    const unused = m.unused.map((o) => o.id?.value ?? '');
    // Not needed now: do not offer these agents again for 30 s; say why (the master keeps it).
    if (unused.length > 0) driver.decline(unused, { refuseSeconds: 30 }, m.declineReasons);
    if (pending.length === 0) driver.suppress(); // nothing left to place: no more offers
  });

  const done = new Promise<void>((resolve) => {
    driver.on('update', ({ status }) => {
      // Returning acknowledges the update (autoAcknowledge); a throw would leave it to be resent.
      if (!isTerminalState(status?.state)) return;
      ended.set(status?.taskId?.value ?? '', taskStateName(status?.state));
      if (ended.size === commands.length) resolve();
    });
  });
  driver.on('error', ({ code, message }) => logger?.warn('the master refused a call', { code, message }));

  const { frameworkId } = await driver.start();
  logger?.info('subscribed', { frameworkId });
  await done;
  await driver.teardown();
  return ended;
}
// #endregion low-level
