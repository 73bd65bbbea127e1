// One ZooKeeper server JVM (standalone, or a member of an ensemble), run
// directly with java and a generated zoo.cfg: faster than zkServer.sh, and
// the pid is ours to signal (stop, kill -9, SIGSTOP/SIGCONT).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalClusterError } from './errors.js';
import { findZooKeeperInstall, fourLetterWord } from './zookeeper-install.js';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

const JVM_FLAGS = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dzookeeper.admin.enableServer=false'];
const STDERR_TAIL = 30;
const STOP_GRACE_MS = 5_000;

/** What one server runs with. @internal */
export interface ZooKeeperServerConfig {
  dataDir: string;
  clientPort: number;
  tickTimeMs: number;
  /** Ensemble members: `server.N=...` lines and this server's id. */
  quorum?: { myid: number; servers: string[] };
}

function zooCfg(c: ZooKeeperServerConfig): string {
  const lines = [
    `tickTime=${c.tickTimeMs}`,
    `dataDir=${c.dataDir}`,
    `clientPort=${c.clientPort}`,
    'clientPortAddress=127.0.0.1',
    // Sessions from 2 ticks up to a minute (the default cap, 20 ticks, is too low for short ticks).
    `maxSessionTimeout=60000`,
    '4lw.commands.whitelist=*',
    'admin.enableServer=false',
    // Test data is thrown away: skip fsync, which dominates session creation time.
    'forceSync=no',
    'initLimit=10',
    'syncLimit=5',
    ...(c.quorum ? ['reconfigEnabled=false', 'standaloneEnabled=false', ...c.quorum.servers] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** A ZooKeeper server process. Start it with {@link startZooKeeper} or as part of an ensemble. */
export class ZooKeeperServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly stderrTail: string[] = [];

  /** @internal */
  constructor(
    private readonly config: ZooKeeperServerConfig,
    /** Removes the data directory on {@link stop} (it was made for this server). */
    private readonly ownsDataDir: boolean,
  ) {}

  /** The client port on 127.0.0.1. */
  get port(): number {
    return this.config.clientPort;
  }

  /** `127.0.0.1:<port>`, for a client. */
  get connectString(): string {
    return `127.0.0.1:${this.config.clientPort}`;
  }

  /** Where the server keeps its snapshots and logs. */
  get dataDir(): string {
    return this.config.dataDir;
  }

  /** The JVM's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True while the JVM runs (paused or not). */
  get running(): boolean {
    return this.child !== undefined;
  }

  /**
   * Starts the JVM (again, after {@link kill} or {@link stopProcess}, on the
   * same data) and resolves once it answers `ruok`; a quorum member may not
   * serve until a quorum is up (see {@link waitServing}).
   */
  async start(timeoutMs = 20_000): Promise<void> {
    if (this.child) return;
    mkdirSync(this.config.dataDir, { recursive: true });
    const cfg = join(this.config.dataDir, 'zoo.cfg');
    writeFileSync(cfg, zooCfg(this.config));
    if (this.config.quorum) writeFileSync(join(this.config.dataDir, 'myid'), `${this.config.quorum.myid}\n`);
    const { java, classpath } = findZooKeeperInstall();
    const mainClass = this.config.quorum
      ? 'org.apache.zookeeper.server.quorum.QuorumPeerMain'
      : 'org.apache.zookeeper.server.ZooKeeperServerMain';
    const child = spawn(java, [...JVM_FLAGS, '-cp', classpath, mainClass, cfg], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    live.add(child);
    // Never keep the test process alive: the 'exit' hook above kills the JVM.
    child.unref();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    child.stderr?.on('data', (b: Buffer) => {
      this.stderrTail.push(
        ...b
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - STDERR_TAIL));
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        live.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    const deadline = Date.now() + timeoutMs;
    while ((await this.fourLetterWord('ruok', 500)) !== 'imok') {
      if (!this.child || Date.now() > deadline) {
        const why = this.child ? `it did not answer within ${timeoutMs} ms` : 'it exited';
        await this.kill();
        throw new LocalClusterError(
          `ZooKeeper on 127.0.0.1:${this.port} did not start: ${why}; its last stderr lines:\n${this.stderrTail.join('\n')}`,
        );
      }
      await sleep(25);
    }
  }

  /** Resolves once the server serves clients (a quorum member: once a quorum is up). */
  async waitServing(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/^Mode: /m.test(await this.fourLetterWord('srvr', 500))) {
      if (Date.now() > deadline) {
        throw new LocalClusterError(`ZooKeeper on 127.0.0.1:${this.port} is not serving after ${timeoutMs} ms`);
      }
      await sleep(25);
    }
  }

  /** Sends a four-letter word (`srvr`, `stat`, `wchp`, `cons`, ...) and resolves with the answer. */
  fourLetterWord(word: string, timeoutMs = 2_000): Promise<string> {
    return fourLetterWord(this.port, word, timeoutMs);
  }

  /** SIGSTOP: the server stops answering (clients time out) while its sockets stay open. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after {@link pause}. */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** kill -9 the JVM and wait for it to be gone; the data directory stays (start() again to restart). */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM the JVM (SIGKILL after 5 s) and wait; the data directory stays. */
  async stopProcess(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGCONT'); // a paused JVM cannot handle SIGTERM
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops the JVM and removes the data directory when it was made for this server. */
  async stop(): Promise<void> {
    await this.stopProcess();
    if (this.ownsDataDir) rmSync(this.config.dataDir, { recursive: true, force: true });
  }
}
