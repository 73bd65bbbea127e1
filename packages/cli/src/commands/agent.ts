// `mesocosm agent`: an agent until SIGTERM/SIGINT.
import { Agent } from '@mesocosm/agent';
import { createLogger } from '@mesocosm/protocol';
import { agentCredential } from '../auth-flags.js';
import type { AgentFlags } from '../program.js';
import { formatReadyLine } from '../ready-line.js';
import { nextStopSignal } from '../signals.js';

/** Agent.start options from the command's flags. Pure. */
export function agentStartOptions(flags: AgentFlags): Parameters<typeof Agent.start>[0] {
  return {
    master: flags.master,
    workDir: flags.workDir,
    ip: flags.ip,
    advertiseIp: flags.advertiseIp,
    hostname: flags.hostname,
    port: flags.port,
    resources: flags.resources,
    attributes: flags.attributes,
    isolation: flags.isolation,
    killTasksOnExit: flags.killTasksOnExit,
    ...(flags.grpcPort === undefined ? {} : { grpcPort: flags.grpcPort }),
    ...(flags.dockerSocket === undefined ? {} : { docker: { socketPath: flags.dockerSocket } }),
    executorRegistrationTimeoutMs: flags.executorRegistrationTimeoutMs,
    executorReregistrationTimeoutMs: flags.executorReregistrationTimeoutMs,
    statusUpdateRetryMs: flags.statusUpdateRetryMs,
    zkSessionTimeoutMs: flags.zkSessionTimeoutMs,
    recover: flags.recover,
    ...(flags.tls ? { tls: flags.tls } : {}),
    ...(flags.switchUser === undefined ? {} : { switchUser: flags.switchUser }),
    ...(flags.authenticateHttpExecutors === undefined
      ? {}
      : { authenticateHttpExecutors: flags.authenticateHttpExecutors }),
  };
}

/** Runs an agent; prints the ready line once registered; resolves once stopped after a signal. */
export async function runAgent(flags: AgentFlags): Promise<void> {
  const logger = createLogger('agent');
  const stopSignal = nextStopSignal();
  const agent = await Agent.start({ ...agentStartOptions(flags), ...agentCredential(flags.credential), logger });
  const registered = await Promise.race([agent.registered(), stopSignal.then(() => undefined)]);
  if (registered !== undefined) {
    process.stdout.write(
      `${formatReadyLine({
        component: 'agent',
        http: agent.httpUrl,
        grpc: agent.grpcAddress,
        id: registered,
        agentId: registered,
      })}\n`,
    );
    const signal = await stopSignal;
    logger.info(`${signal}: stopping`);
  }
  await agent.stop();
}
