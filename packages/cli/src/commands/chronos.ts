// `mesocosm chronos`: one Chronos instance until SIGTERM/SIGINT. A stop
// closes the subscription without a teardown (the framework and its tasks
// stay for the failover timeout). A deposed instance does not exit: the
// SDK's election stands it again by itself.
import { Chronos, loadApiAuth, type ChronosOptions, type JobDefaults } from '@mesocosm/chronos';
import { createLogger } from '@mesocosm/protocol';
import { frameworkCredential } from '../auth-flags.js';
import type { ChronosFlags } from '../framework-commands.js';
import { formatReadyLine } from '../ready-line.js';
import { nextStopSignal } from '../signals.js';

/** Chronos.start options from the command's flags. Pure. */
export function chronosStartOptions(flags: ChronosFlags): ChronosOptions {
  const o: ChronosOptions = { master: flags.master, httpPort: flags.httpPort, frameworkName: flags.frameworkName };
  if (flags.zk !== undefined) o.zk = flags.zk;
  if (flags.stateDir !== undefined) o.stateDir = flags.stateDir;
  if (flags.httpAddress !== undefined) o.httpHost = flags.httpAddress;
  if (flags.hostname !== undefined) o.hostname = flags.hostname;
  if (flags.failoverTimeoutMs !== undefined) o.failoverTimeoutSeconds = flags.failoverTimeoutMs / 1000;
  if (flags.declineOfferDurationMs !== undefined)
    o.schedulerPolicy = { declineRefuseSeconds: flags.declineOfferDurationMs / 1000 };
  if (flags.zkSessionTimeoutMs !== undefined) o.zkSessionTimeoutMs = flags.zkSessionTimeoutMs;
  if (flags.mesosRole !== undefined) o.role = flags.mesosRole;
  if (flags.mesosUser !== undefined) o.user = flags.mesosUser;
  if (flags.tls !== undefined) o.tls = flags.tls;
  const defaults: { -readonly [K in keyof JobDefaults]?: JobDefaults[K] } = {};
  if (flags.taskCpus !== undefined) defaults.cpus = flags.taskCpus;
  if (flags.taskMem !== undefined) defaults.mem = flags.taskMem;
  if (flags.taskDisk !== undefined) defaults.disk = flags.taskDisk;
  if (flags.taskEpsilonMs !== undefined) defaults.epsilon = `PT${flags.taskEpsilonMs / 1000}S`;
  if (Object.keys(defaults).length > 0) o.jobDefaults = defaults;
  return o;
}

/** Runs Chronos; prints the ready line once its REST API listens; resolves once stopped after a signal. */
export async function runChronos(flags: ChronosFlags): Promise<void> {
  const logger = createLogger('chronos');
  const stopSignal = nextStopSignal();
  // Read before anything starts: a bad credentials or ACL file stops the command, naming it.
  const httpAuth = await loadApiAuth(flags.httpAuth ?? {});
  const chronos = await Chronos.start({
    ...chronosStartOptions(flags),
    ...frameworkCredential(flags.mesosAuthentication),
    ...(httpAuth === undefined ? {} : { httpAuth }),
    logger,
  });
  process.stdout.write(`${formatReadyLine({ component: 'chronos', http: chronos.url })}\n`);
  const signal = await stopSignal;
  logger.info(`${signal}: stopping`);
  await chronos.stop();
}
