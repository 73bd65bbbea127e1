// Where Debian's (or an Apache tarball's) ZooKeeper server lives, free
// loopback ports, and the four-letter-word admin commands.
import { existsSync, readdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { LocalClusterError } from './errors.js';

/** How to run a ZooKeeper server: the java binary and the classpath. */
export interface ZooKeeperInstall {
  java: string;
  classpath: string;
}

function findJava(env: NodeJS.ProcessEnv): string | undefined {
  const home = env['JAVA_HOME'];
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'java'))) return join(dir, 'java');
  }
  return undefined;
}

function findClasspath(env: NodeJS.ProcessEnv): string | undefined {
  // Debian: zookeeper.jar's manifest lists its dependencies (Class-Path).
  if (existsSync('/usr/share/java/zookeeper.jar')) return '/usr/share/java/zookeeper.jar';
  // An Apache binary tarball: every jar of <home>/lib.
  for (const home of [env['ZOOKEEPER_HOME'], '/opt/zookeeper']) {
    const lib = home ? join(home, 'lib') : undefined;
    if (lib && existsSync(lib)) {
      const jars = readdirSync(lib).filter((f) => f.endsWith('.jar'));
      if (jars.length > 0) return jars.map((j) => join(lib, j)).join(':');
    }
  }
  return undefined;
}

/** Finds java and ZooKeeper's jars; throws saying what to install when either is missing. */
export function findZooKeeperInstall(env: NodeJS.ProcessEnv = process.env): ZooKeeperInstall {
  const java = findJava(env);
  const classpath = findClasspath(env);
  if (!java || !classpath) {
    throw new LocalClusterError(
      `cannot start a ZooKeeper server: ${!classpath ? "ZooKeeper's jars" : 'java'} not found; ` +
        'install it with `apt-get install zookeeper` (scripts/setup.sh does), set ZOOKEEPER_HOME, or set MESOCOSM_ZK=host:port',
    );
  }
  return { java, classpath };
}

/** `count` distinct free TCP ports on 127.0.0.1 (free when asked; a race with other processes is possible). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/**
 * Sends a four-letter word (`ruok`, `srvr`, `stat`, `wchp`, `cons`, ...) to
 * the server at 127.0.0.1:`port` and resolves with its answer ('' when it
 * does not answer within `timeoutMs`).
 */
export function fourLetterWord(port: number, word: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = connect(port, '127.0.0.1');
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (b: Buffer) => (out += b.toString('utf8')));
    socket.on('end', done);
    socket.on('error', done);
    socket.on('connect', () => socket.write(word));
  });
}
