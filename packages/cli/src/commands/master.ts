// `mesocosm master`: a standalone master until SIGTERM/SIGINT.
import { Master } from '@mesocosm/master';
import { createLogger } from '@mesocosm/protocol';
import type { MasterFlags } from '../program.js';
import { formatReadyLine } from '../ready-line.js';
import { nextStopSignal } from '../signals.js';

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
  };
}

/** Runs a master; resolves once it stopped after a signal. */
export async function runMaster(flags: MasterFlags): Promise<void> {
  const logger = createLogger('master');
  const stopSignal = nextStopSignal();
  const master = await Master.start({ ...masterStartOptions(flags), logger });
  process.stdout.write(
    `${formatReadyLine({ component: 'master', http: master.httpUrl, grpc: master.grpcAddress, id: master.info.id ?? '' })}\n`,
  );
  const signal = await stopSignal;
  logger.info(`${signal}: stopping`);
  await master.stop();
}
