// A real master and real agents in this process, on 127.0.0.1 and free
// ports, for the launch scenarios. Started directly (not through
// LocalCluster) because the Docker scenario must give the agent its engine's
// socket, which LocalCluster's agent spec does not carry.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type AgentOptions } from '@mesocosm/agent';
import { Master } from '@mesocosm/master';
import { silentLogger } from '@mesocosm/protocol';

/** One agent of a {@link BenchCluster}. */
export interface BenchAgentSpec {
  resources: string;
  isolation?: AgentOptions['isolation'];
  docker?: AgentOptions['docker'];
}

/** A running master and its registered agents. */
export interface BenchCluster {
  readonly masterGrpc: string;
  readonly agentIds: readonly string[];
  stop(): Promise<void>;
}

/** Starts a master, then the agents, and resolves once every agent is registered. */
export async function startBenchCluster(agents: readonly BenchAgentSpec[]): Promise<BenchCluster> {
  const workDir = await mkdtemp(join(tmpdir(), 'mesocosm-bench-'));
  // Offers stay until used: the scenarios hold them between launches.
  const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, offerTimeoutMs: 0, logger: silentLogger });
  const running: Agent[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(running.map((a) => a.stop()));
    await master.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const agentIds: string[] = [];
    for (const [i, spec] of agents.entries()) {
      const agent = await Agent.start({
        master: master.grpcAddress,
        workDir: join(workDir, `agent-${i + 1}`),
        ip: '127.0.0.1',
        port: 0,
        grpcPort: 0,
        resources: spec.resources,
        isolation: spec.isolation ?? 'posix',
        docker: spec.docker,
        killTasksOnExit: true,
        logger: silentLogger,
      });
      running.push(agent);
      agentIds.push(await agent.registered());
    }
    return { masterGrpc: master.grpcAddress, agentIds, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
