// Cluster members started in this process, on 127.0.0.1 and free ports.
import { Agent } from '@mesocosm/agent';
import { Master } from '@mesocosm/master';
import type { Logger } from '@mesocosm/protocol';
import type { AgentHandle, AgentSpec, MasterHandle } from './members.js';

/** Options of Master.start, as the master package defines them. */
export type MasterStartOptions = NonNullable<Parameters<typeof Master.start>[0]>;

/** Starts a master in this process. @internal */
export async function startMasterInProcess(options: MasterStartOptions, logger: Logger): Promise<MasterHandle> {
  const master = await Master.start({
    ip: '127.0.0.1',
    port: 0,
    grpcPort: 0,
    logger: logger.child('master'),
    ...options,
  });
  return {
    grpc: master.grpcAddress,
    http: master.httpUrl,
    id: master.info.id ?? '',
    pid: undefined,
    stop: () => master.stop(),
  };
}

/** Starts an agent in this process and waits for its registration (`masterGrpc` may be a zk:// URL). @internal */
export async function startAgentInProcess(
  masterGrpc: string,
  spec: AgentSpec & { resources: string },
  workDir: string,
  logger: Logger,
  zkSessionTimeoutMs?: number,
): Promise<AgentHandle> {
  const agent = await Agent.start({
    master: masterGrpc,
    workDir,
    ip: '127.0.0.1',
    port: 0,
    grpcPort: 0,
    resources: spec.resources,
    attributes: spec.attributes,
    hostname: spec.hostname,
    isolation: spec.isolation,
    killTasksOnExit: spec.killTasksOnExit ?? true,
    ...(spec.tls ? { tls: spec.tls } : {}),
    ...(spec.credential ? { credential: spec.credential } : {}),
    ...(spec.switchUser === undefined ? {} : { switchUser: spec.switchUser }),
    ...(zkSessionTimeoutMs === undefined ? {} : { zkSessionTimeoutMs }),
    logger: logger.child('agent'),
  });
  const agentId = await agent.registered();
  return { agentId, httpUrl: agent.httpUrl, pid: undefined, stop: () => agent.stop() };
}
