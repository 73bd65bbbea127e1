// `mesocosm master`: a master until SIGTERM/SIGINT. With --zk, losing the
// leadership ends the process with a non-zero code, as Mesos' master aborts:
// its state is stale, and a fresh start rejoins the election at the back.
import { Master } from '@mesocosm/master';
import { createLogger } from '@mesocosm/protocol';
import { masterAuthOptions } from '../auth-flags.js';
import type { MasterFlags } from '../program.js';
import { formatReadyLine } from '../ready-line.js';
import { nextStopSignal } from '../signals.js';

/** The exit code of a master that lost its leadership (or its ZooKeeper candidacy). */
export const DEPOSED_EXIT_CODE = 3;

/** Master.start options from the command's flags. Pure. */
export function masterStartOptions(flags: MasterFlags): NonNullable<Parameters<typeof Master.start>[0]> {
  return {
    ip: flags.ip,
    advertiseIp: flags.advertiseIp,
    hostname: flags.hostname,
    port: flags.port,
    grpcPort: flags.grpcPort,
    offerTimeoutMs: flags.offerTimeoutMs,
    heartbeatIntervalMs: flags.heartbeatIntervalMs,
    agentPingIntervalMs: flags.agentPingTimeoutMs,
    maxAgentPingTimeouts: flags.maxAgentPingTimeouts,
    allocationIntervalMs: flags.allocationIntervalMs,
    roleWeights: flags.weights,
    zk: flags.zk,
    zkSessionTimeoutMs: flags.zkSessionTimeoutMs,
    agentReregisterTimeoutMs: flags.agentReregisterTimeoutMs,
    ...(flags.tls
      ? {
          tls: {
            cert: flags.tls.cert ?? '',
            key: flags.tls.key ?? '',
            ...(flags.tls.ca === undefined ? {} : { ca: flags.tls.ca }),
            requireClientCert: flags.tls.requireClientCert ?? false,
          },
        }
      : {}),
  };
}

/** Runs a master; resolves once it stopped after a signal. */
export async function runMaster(flags: MasterFlags): Promise<void> {
  const logger = createLogger('master');
  const stopSignal = nextStopSignal();
  const master = await Master.start({
    ...masterStartOptions(flags),
    ...masterAuthOptions(flags.auth),
    logger,
    onDeposed: (reason) => {
      logger.error(`lost leadership, exiting: ${reason}`);
      process.exit(DEPOSED_EXIT_CODE);
    },
  });
  process.stdout.write(
    `${formatReadyLine({ component: 'master', http: master.httpUrl, grpc: master.grpcAddress, id: master.info.id ?? '' })}\n`,
  );
  const signal = await stopSignal;
  logger.info(`${signal}: stopping`);
  await master.stop();
}
