// Real ZooKeeper servers for tests: a standalone server on a free loopback
// port, and one shared standalone server per test process, started at first
// use and killed when the process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPorts } from './zookeeper-install.js';
import { ZooKeeperServer } from './zookeeper-server.js';

/** Options of {@link startZooKeeper}. */
export interface StartZooKeeperOptions {
  /** Where the server keeps its data (default: a new temporary directory, removed on stop). */
  dataDir?: string;
  /** ZooKeeper's tick (default 100 ms): sessions may last from 2 ticks to 60 s. */
  tickTimeMs?: number;
  /** How long to wait for the server to answer (default 20 000 ms). */
  startTimeoutMs?: number;
}

/** The tick of test servers: short, so that short session timeouts are allowed. */
export const TEST_TICK_MS = 100;

/** A temporary data directory for a test server. @internal */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'mesocosm-zk-'));
}

/**
 * Starts a standalone ZooKeeper server (Debian's `zookeeper` package, run
 * with java) on a free port of 127.0.0.1 and resolves once it answers.
 *
 * @example
 * ```ts
 * const zk = await startZooKeeper();
 * after(() => zk.stop());
 * const url = `zk://${zk.connectString}/mesos`;
 * ```
 */
export async function startZooKeeper(options: StartZooKeeperOptions = {}): Promise<ZooKeeperServer> {
  let lastError: unknown;
  // A free port may be taken by someone else before the JVM binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const [clientPort = 0] = await freeLoopbackPorts(1);
    const dataDir = options.dataDir ?? tempDataDir();
    const server = new ZooKeeperServer(
      { dataDir, clientPort, tickTimeMs: options.tickTimeMs ?? TEST_TICK_MS },
      options.dataDir === undefined,
    );
    try {
      await server.start(options.startTimeoutMs);
      // `ruok` answers before the server accepts sessions: a client connecting then waits out a retry.
      await server.waitServing(options.startTimeoutMs);
      return server;
    } catch (err) {
      lastError = err;
      await server.stop();
    }
  }
  throw lastError;
}

/** A ZooKeeper that tests share: where to connect. */
export interface SharedZooKeeper {
  /** `host:port` of the server. */
  readonly connectString: string;
  /** The server, when this process started it (undefined when MESOCOSM_ZK named one). */
  readonly server: ZooKeeperServer | undefined;
}

// Kept on globalThis so that every copy of this module in the process shares one server.
const SHARED = Symbol.for('mesocosm.testing.sharedZooKeeper');
type Holder = { [SHARED]?: Promise<SharedZooKeeper> };

/**
 * The process-wide shared ZooKeeper: `MESOCOSM_ZK` when set, otherwise a
 * standalone server started at the first call and killed (data removed)
 * when the process exits. Tests sharing it must use their own znode paths.
 *
 * @example
 * ```ts
 * const { connectString } = await sharedZooKeeper();
 * ```
 */
export function sharedZooKeeper(): Promise<SharedZooKeeper> {
  const holder = globalThis as Holder;
  const existing = holder[SHARED];
  if (existing) return existing;
  const external = process.env['MESOCOSM_ZK'];
  const started: Promise<SharedZooKeeper> = external
    ? Promise.resolve({ connectString: external, server: undefined })
    : startZooKeeper().then((server) => {
        process.once('exit', () => rmSync(server.dataDir, { recursive: true, force: true }));
        return { connectString: server.connectString, server };
      });
  holder[SHARED] = started;
  started.catch(() => {
    if (holder[SHARED] === started) delete holder[SHARED]; // let a later call try again
  });
  return started;
}
