// A ZooKeeper ensemble on loopback: N servers with distinct client, peer
// and election ports, for tests of what happens when the quorum is lost.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LocalClusterError } from './errors.js';
import { TEST_TICK_MS, tempDataDir, type StartZooKeeperOptions } from './zookeeper.js';
import { freeLoopbackPorts } from './zookeeper-install.js';
import { ZooKeeperServer } from './zookeeper-server.js';

/** A running ensemble. */
export interface ZooKeeperEnsemble {
  /** The members, in `myid` order (1..N). */
  readonly servers: readonly ZooKeeperServer[];
  /** Every member's `127.0.0.1:port`, comma-separated, for a client. */
  readonly connectString: string;
  /** kill -9 a majority of the members (the first ⌊N/2⌋+1): the rest stop serving. */
  stopQuorum(): Promise<void>;
  /** Restarts every member that is not running (same data) and waits until all serve. */
  startAgain(): Promise<void>;
  /** Stops every member and removes the data. */
  stop(): Promise<void>;
}

/**
 * Starts an ensemble of `size` servers (default 3) on 127.0.0.1 and resolves
 * once every member serves (a leader was elected).
 *
 * @example
 * ```ts
 * const ensemble = await startZooKeeperEnsemble(3);
 * after(() => ensemble.stop());
 * await ensemble.stopQuorum();   // clients get disconnected
 * await ensemble.startAgain();   // sessions younger than their timeout survive
 * ```
 */
export async function startZooKeeperEnsemble(
  size = 3,
  options: Omit<StartZooKeeperOptions, 'dataDir'> = {},
): Promise<ZooKeeperEnsemble> {
  if (!Number.isInteger(size) || size < 1)
    throw new LocalClusterError(`an ensemble needs 1 or more servers, not ${size}`);
  const root = tempDataDir();
  const ports = await freeLoopbackPorts(size * 3);
  const port = (i: number, k: number): number => ports[i * 3 + k] ?? 0;
  const lines = Array.from({ length: size }, (_, i) => `server.${i + 1}=127.0.0.1:${port(i, 1)}:${port(i, 2)}`);
  const servers = Array.from(
    { length: size },
    (_, i) =>
      new ZooKeeperServer(
        {
          dataDir: join(root, `server-${i + 1}`),
          clientPort: port(i, 0),
          tickTimeMs: options.tickTimeMs ?? TEST_TICK_MS,
          quorum: { myid: i + 1, servers: lines },
        },
        false,
      ),
  );
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  const startAll = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.start(options.startTimeoutMs)));
    await Promise.all(servers.map((s) => s.waitServing(options.startTimeoutMs)));
  };
  try {
    await startAll();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    servers,
    connectString: servers.map((s) => s.connectString).join(','),
    stopQuorum: async () => {
      await Promise.all(servers.slice(0, Math.floor(size / 2) + 1).map((s) => s.kill()));
    },
    startAgain: startAll,
    stop,
  };
}
