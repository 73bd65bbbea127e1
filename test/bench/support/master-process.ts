// A master as a child process of the bench (`mesocosm master`), so that its
// CPU time and resident memory are its own, apart from the simulated agents'
// and frameworks' in the bench process. With MESOCOSM_BENCH_PROFILE=<dir> in
// the environment, each master writes a V8 CPU profile there when it stops
// (`node --cpu-prof`): open it in Chrome's DevTools or speedscope. With
// MESOCOSM_BENCH_MASTER_LOG=1, each master logs at info level to the bench's
// stderr (timestamped lines, to follow a failover).
import { join } from 'node:path';
import { DaemonProcess, defaultCliPath, type ExitInfo } from '@mesocosm/testing';
import { BenchError } from '../errors.js';
import { cpuMs, rssBytes } from './proc-stats.js';

/** Options of {@link startMasterProcess}. */
export interface MasterProcessOptions {
  /** A name for errors and for the profile's file name, e.g. `master-e2e`. */
  name: string;
  /** More `mesocosm master` flags, e.g. `['--zk', url, '--zk_session_timeout', '4secs']`. */
  flags?: readonly string[];
  /** Node flags put before the script, e.g. `--inspect=127.0.0.1:0`. */
  nodeArgs?: readonly string[];
  /** Each stderr line of the master (warnings and errors only: MESOCOSM_LOG=warn). */
  onStderr?: (line: string) => void;
}

/** A running master process. */
export interface MasterProcess {
  /** gRPC `host:port`. */
  readonly grpc: string;
  /** HTTP base URL. */
  readonly http: string;
  /** Its MasterInfo ID. */
  readonly id: string;
  readonly pid: number;
  readonly process: DaemonProcess;
  /** Its VmRSS now, bytes. */
  rss(): Promise<number>;
  /** Its user + system CPU time so far, ms. */
  cpuMs(): Promise<number>;
  /** Signals it (SIGTERM: a clean stop, which writes the profile) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ExitInfo>;
}

/** The environment variable naming a directory for the masters' CPU profiles. */
export const PROFILE_ENV = 'MESOCOSM_BENCH_PROFILE';

/** Starts `mesocosm master` on 127.0.0.1 and free ports; resolves once it printed its ready line. */
export async function startMasterProcess(options: MasterProcessOptions): Promise<MasterProcess> {
  const nodeArgs = [...(options.nodeArgs ?? [])];
  const profileDir = process.env[PROFILE_ENV];
  if (profileDir) {
    const file = `${options.name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${join(profileDir)}`, `--cpu-prof-name=${file}`);
  }
  const args = [
    ...nodeArgs,
    defaultCliPath(),
    'master',
    '--ip',
    '127.0.0.1',
    '--port',
    '0',
    '--grpc_port',
    '0',
    ...(options.flags ?? []),
  ];
  const verbose = process.env['MESOCOSM_BENCH_MASTER_LOG'] === '1';
  const onStderr = verbose
    ? (line: string): void => {
        process.stderr.write(`  [${options.name}] ${line}\n`);
        options.onStderr?.(line);
      }
    : options.onStderr;
  const proc = await DaemonProcess.start(process.execPath, args, {
    name: options.name,
    env: { ...process.env, MESOCOSM_LOG: verbose ? 'info' : (process.env['MESOCOSM_LOG'] ?? 'warn') },
    readyTimeoutMs: 30_000,
    ...(onStderr ? { onStderr } : {}),
  });
  const { grpc, http, id } = proc.ready;
  const pid = proc.pid;
  if (!grpc || pid === undefined) {
    await proc.kill('SIGKILL');
    throw new BenchError(`${options.name}'s ready line has no gRPC address: ${JSON.stringify(proc.ready)}`);
  }
  return {
    grpc,
    http,
    id: id ?? '',
    pid,
    process: proc,
    rss: () => rssBytes(pid),
    cpuMs: () => cpuMs(pid),
    stop: (signal = 'SIGTERM') => proc.kill(signal, 20_000),
  };
}
