// `mesocosm marathon`: one Marathon instance until SIGTERM/SIGINT. A stop
// closes the subscription without a teardown: the framework and its tasks
// stay for the failover timeout, for the next leader. A deposed instance
// does not exit: the SDK's election stands it again by itself.
import { Marathon, loadApiAuth, type MarathonOptions } from '@mesocosm/marathon';
import { createLogger } from '@mesocosm/protocol';
import { frameworkCredential } from '../auth-flags.js';
import type { MarathonFlags } from '../framework-commands.js';
import { formatReadyLine } from '../ready-line.js';
import { nextStopSignal } from '../signals.js';

/** Marathon.start options from the command's flags. Pure. */
export function marathonStartOptions(flags: MarathonFlags): MarathonOptions {
  const o: MarathonOptions = { master: flags.master, httpPort: flags.httpPort, frameworkName: flags.frameworkName };
  if (flags.zk !== undefined) o.zk = flags.zk;
  if (flags.stateDir !== undefined) o.stateDir = flags.stateDir;
  if (flags.httpAddress !== undefined) o.httpHost = flags.httpAddress;
  if (flags.hostname !== undefined) o.hostname = flags.hostname;
  if (flags.failoverTimeoutMs !== undefined) o.failoverTimeoutSeconds = flags.failoverTimeoutMs / 1000;
  if (flags.declineOfferDurationMs !== undefined) o.declineOfferDurationMs = flags.declineOfferDurationMs;
  if (flags.reconciliationIntervalMs !== undefined) o.reconcileIntervalMs = flags.reconciliationIntervalMs;
  if (flags.minReviveOffersIntervalMs !== undefined) o.minReviveIntervalMs = flags.minReviveOffersIntervalMs;
  if (flags.zkSessionTimeoutMs !== undefined) o.zkSessionTimeoutMs = flags.zkSessionTimeoutMs;
  if (flags.mesosRole !== undefined) o.role = flags.mesosRole;
  if (flags.mesosUser !== undefined) o.user = flags.mesosUser;
  if (flags.tls !== undefined) o.tls = flags.tls;
  return o;
}

/** Runs Marathon; prints the ready line once its REST API listens; resolves once stopped after a signal. */
export async function runMarathon(flags: MarathonFlags): Promise<void> {
  const logger = createLogger('marathon');
  const stopSignal = nextStopSignal();
  // Read before anything starts: a bad credentials or ACL file stops the command, naming it.
  const httpAuth = await loadApiAuth(flags.httpAuth ?? {});
  const marathon = await Marathon.start({
    ...marathonStartOptions(flags),
    ...frameworkCredential(flags.mesosAuthentication),
    ...(httpAuth === undefined ? {} : { httpAuth }),
    logger,
  });
  process.stdout.write(`${formatReadyLine({ component: 'marathon', http: marathon.url })}\n`);
  const signal = await stopSignal;
  logger.info(`${signal}: stopping`);
  await marathon.stop();
}
