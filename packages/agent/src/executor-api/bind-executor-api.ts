// Where a (re)started agent serves its executor API. As in Mesos, the
// address is what executors rely on to find their agent again after it
// restarts: MESOCOSM_AGENT_ENDPOINT is fixed when an executor starts. With a
// fixed `--grpc_port` that is the flag; with `--grpc_port=0` (a free port,
// as in tests) a restarted agent takes the port its previous run's
// executors were told, from their checkpoints, so that they reconnect.
import type { Logger } from '@mesocosm/protocol';
import { endpointPort, type ExecutorCheckpoint } from '../checkpoint/executor-checkpoint.js';
import type { ExecutorApiSecurity } from './executor-api-security.js';
import type { ExecutorRegistry } from './executor-registry.js';
import { startExecutorApi, type ExecutorApiServer } from './executor-server.js';

/** The executor API ports the live executors of a previous run were told, most used first. Pure. */
export function recoveredExecutorApiPorts(executors: readonly ExecutorCheckpoint[]): number[] {
  const counts = new Map<number, number>();
  for (const e of executors) {
    const port = e.exited || e.pid === undefined ? undefined : endpointPort(e.endpoint);
    if (port !== undefined) counts.set(port, (counts.get(port) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([port]) => port);
}

/** Starts the executor API on `ip:port`, or (port 0) where the recovered executors expect it. @internal */
export async function bindExecutorApi(
  ip: string,
  port: number,
  recovered: readonly ExecutorCheckpoint[],
  registry: ExecutorRegistry,
  logger: Logger,
  security?: ExecutorApiSecurity,
): Promise<ExecutorApiServer> {
  const wanted = recoveredExecutorApiPorts(recovered);
  if (port !== 0) {
    const lost = wanted.filter((p) => p !== port);
    if (lost.length > 0)
      logger.warn(
        'executors of the previous run know another executor API port: they cannot subscribe again and will be killed (keep --grpc_port unchanged across restarts)',
        { grpcPort: port, theirs: lost },
      );
    return startExecutorApi(ip, port, registry, logger, security);
  }
  const previous = wanted[0];
  if (previous !== undefined)
    try {
      const server = await startExecutorApi(ip, previous, registry, logger, security);
      logger.info('serving the executor API on the port of the previous run, where its executors reconnect', {
        port: previous,
      });
      return server;
    } catch (err) {
      logger.warn("cannot serve the executor API on the previous run's port: its executors will not find this agent", {
        port: previous,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  return startExecutorApi(ip, 0, registry, logger, security);
}
