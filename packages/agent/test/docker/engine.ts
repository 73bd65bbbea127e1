// A real Docker engine for the tests, and the test image built without a
// registry. Self-contained (no imports from the agent) so that it can move to
// the shared test helpers.
//
// Order: the engine at DOCKER_HOST or the default socket; else ours at
// /run/mesocosm-dockerd/docker.sock (left by an earlier run); else, as root,
// install Debian's docker.io when dockerd is missing and start dockerd on our
// socket and data root (overlay2, falling back to vfs, then without
// iptables). Test processes using our dockerd hold leases; the last to let
// go stops it. The image `mesocosm-busybox:latest` is `docker import`ed from
// a root filesystem of Debian's static busybox.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { access, mkdir, mkdtemp, open, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';

/** The image every Docker test runs. */
export const TEST_IMAGE = 'mesocosm-busybox:latest';

/** A Docker engine the tests may use. */
export interface DockerEngineHandle {
  readonly docker: Dockerode;
  readonly socketPath: string;
  readonly image: string;
  /** Lets go of the engine: the last test process using our dockerd stops it (a no-op for a system engine). */
  stop(): Promise<void>;
}

const OUR_DIR = '/run/mesocosm-dockerd';
const OUR_SOCKET = `${OUR_DIR}/docker.sock`;
const OUR_DATA_ROOT = '/var/lib/mesocosm-docker';
const BUSYBOX_LINKS = [
  'sh',
  'echo',
  'sleep',
  'cat',
  'httpd',
  'nc',
  'wget',
  'ls',
  'mkdir',
  'env',
  'true',
  'false',
  'kill',
  'head',
  'dd',
];
const START_DEADLINE_MS = 60_000;

let cached: Promise<DockerEngineHandle | { missing: string }> | undefined;

/** The engine (started once per process), or why there is none. */
export function ensureDockerEngine(): Promise<DockerEngineHandle | { missing: string }> {
  cached ??= findOrStart().catch((err: unknown) => ({ missing: err instanceof Error ? err.message : String(err) }));
  return cached;
}

/** Lets go of the engine if this process took it (for a root `after` hook). */
export async function releaseDockerEngine(): Promise<void> {
  const engine = await cached;
  cached = undefined;
  if (engine && !('missing' in engine)) await engine.stop();
}

/** For a mocha `before`: the engine, or skip (fail with CI=true) saying what is missing. */
export async function requireDockerEngine(ctx: Mocha.Context): Promise<DockerEngineHandle> {
  const engine = await ensureDockerEngine();
  if ('missing' in engine) {
    if (process.env['CI'] === 'true') throw new Error(`Docker is required with CI=true: ${engine.missing}`);
    console.warn(`    skipping Docker tests: ${engine.missing}`);
    ctx.skip();
  }
  return engine;
}

async function pings(socketPath: string): Promise<boolean> {
  try {
    await new Dockerode({ socketPath, timeout: 2_000 }).ping();
    return true;
  } catch {
    return false;
  }
}

function socketFromEnv(): string | undefined {
  const host = process.env['DOCKER_HOST'];
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

async function findOrStart(): Promise<DockerEngineHandle> {
  const system = socketFromEnv();
  if (system !== undefined && (await pings(system))) return handle(system, async () => {});
  // Ours may be used by several test processes at once (parallel runs on one
  // machine): each holds a lease, one starts dockerd, the last one stops it.
  await takeLease();
  if (!(await pings(OUR_SOCKET))) await withStartLock(async () => (await pings(OUR_SOCKET)) || (await startDockerd()));
  return handle(OUR_SOCKET, releaseLease);
}

async function handle(socketPath: string, stop: () => Promise<void>): Promise<DockerEngineHandle> {
  const docker = new Dockerode({ socketPath });
  await ensureTestImage(docker);
  return { docker, socketPath, image: TEST_IMAGE, stop };
}

const LEASES = join(OUR_DIR, 'leases');
const START_LOCK = join(OUR_DIR, 'start.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function takeLease(): Promise<void> {
  await mkdir(LEASES, { recursive: true });
  await writeFile(join(LEASES, String(process.pid)), '');
}

/** Drops this process's lease; the last live holder stops dockerd. */
async function releaseLease(): Promise<void> {
  await rm(join(LEASES, String(process.pid)), { force: true });
  const others = (await readdir(LEASES).catch(() => [] as string[])).map(Number).filter((pid) => alive(pid));
  if (others.length > 0) return;
  const pid = Number((await readFile(join(OUR_DIR, 'dockerd.pid'), 'utf8').catch(() => '')).trim());
  if (pid > 0 && alive(pid)) await stopPid(pid);
}

/** Runs `fn` while holding a lock directory (taken over when its owner is dead). */
async function withStartLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 5 * START_DEADLINE_MS;
  for (;;) {
    try {
      await mkdir(START_LOCK);
      await writeFile(join(START_LOCK, 'pid'), String(process.pid));
      break;
    } catch {
      const owner = Number(await readFile(join(START_LOCK, 'pid'), 'utf8').catch(() => '0'));
      if (owner > 0 && !alive(owner)) await rm(START_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${START_LOCK} is held by process ${owner}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(START_LOCK, { recursive: true, force: true });
  }
}

/** SIGTERM, then SIGKILL after 30 s; resolves once the process is gone. */
async function stopPid(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => resolve({ code: -1, output: err.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function findProgram(name: string): Promise<string | undefined> {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'])
    if (await executable(join(dir, name))) return join(dir, name);
  return undefined;
}

/** `apt-get install -y pkg`, with `apt-get update` first when the install cannot find it. */
async function aptInstall(pkg: string): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new Error(`${pkg} is not installed and this is not root (apt-get install -y ${pkg})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = await run('apt-get', ['install', '-y', pkg], env);
  if (r.code !== 0) {
    await run('apt-get', ['update'], env);
    r = await run('apt-get', ['install', '-y', pkg], env);
  }
  if (r.code !== 0) throw new Error(`apt-get install -y ${pkg} failed: ${r.output.slice(-500)}`);
}

/** Starts dockerd on our socket (left running). Tries overlay2, vfs, then without iptables. */
async function startDockerd(): Promise<true> {
  if (process.getuid?.() !== 0) throw new Error('no Docker engine answers and this is not root (cannot start dockerd)');
  let dockerd = await findProgram('dockerd');
  if (!dockerd) {
    await aptInstall('docker.io');
    dockerd = await findProgram('dockerd');
    if (!dockerd) throw new Error('docker.io is installed but dockerd is not found');
  }
  await mkdir(OUR_DIR, { recursive: true });
  await mkdir(OUR_DATA_ROOT, { recursive: true });
  // A dockerd of ours that does not answer (still stopping, or hung) holds the pid file: end it first.
  const stale = Number((await readFile(join(OUR_DIR, 'dockerd.pid'), 'utf8').catch(() => '')).trim());
  if (stale > 0 && alive(stale)) await stopPid(stale);
  const attempts = [
    ['--storage-driver', 'overlay2'],
    ['--storage-driver', 'vfs'],
    ['--storage-driver', 'vfs', '--iptables=false'],
  ];
  const failures: string[] = [];
  for (const extra of attempts) {
    const logPath = join(OUR_DIR, 'dockerd.log');
    const log = openSync(logPath, 'w');
    const child = spawn(
      dockerd,
      [
        '--host',
        `unix://${OUR_SOCKET}`,
        '--data-root',
        OUR_DATA_ROOT,
        '--exec-root',
        join(OUR_DIR, 'exec'),
        '--pidfile',
        join(OUR_DIR, 'dockerd.pid'),
        '--exec-opt',
        'native.cgroupdriver=cgroupfs',
        ...extra,
      ],
      { detached: true, stdio: ['ignore', log, log] },
    );
    child.unref();
    if (await answers(child)) return true;
    await stopProcess(child);
    const tail = (await readFile(logPath, 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => /level=(error|fatal)|failed/i.test(l));
    failures.push(`${extra.join(' ')}: ${tail.slice(-2).join(' | ') || 'did not answer'}`);
  }
  throw new Error(`dockerd would not start (log in ${OUR_DIR}/dockerd.log): ${failures.join('; ')}`);
}

/** Polls our socket until dockerd answers, exits, or the deadline passes. */
async function answers(child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + START_DEADLINE_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline && !exited) {
    if (await pings(OUR_SOCKET)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** True when `path` is an ELF executable without an interpreter (statically linked). */
async function isStaticElf(path: string): Promise<boolean> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return false;
  try {
    const header = Buffer.alloc(64);
    await fh.read(header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2) return false;
    const phoff = Number(header.readBigUInt64LE(0x20));
    const phentsize = header.readUInt16LE(0x36);
    const phnum = header.readUInt16LE(0x38);
    const table = Buffer.alloc(phentsize * phnum);
    await fh.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === 3) return false; // PT_INTERP
    return true;
  } finally {
    await fh.close();
  }
}

async function staticBusybox(): Promise<string> {
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (await isStaticElf(p)) return p;
  await aptInstall('busybox-static');
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (await isStaticElf(p)) return p;
  throw new Error('busybox-static is installed but no static busybox is found');
}

async function follow(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(failed?.error));
      else resolve();
    }),
  );
}

/** Imports {@link TEST_IMAGE} from a busybox root filesystem unless the engine has it. */
async function ensureTestImage(docker: Dockerode): Promise<void> {
  const present = await docker
    .getImage(TEST_IMAGE)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (present) return;
  const busybox = await staticBusybox();
  const root = await mkdtemp(join(tmpdir(), 'mesocosm-rootfs-'));
  try {
    for (const d of ['bin', 'etc', 'tmp', 'www']) await mkdir(join(root, d));
    await writeFile(join(root, 'bin', 'busybox'), await readFile(busybox), { mode: 0o755 });
    for (const l of BUSYBOX_LINKS) await symlink('busybox', join(root, 'bin', l));
    await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n');
    await writeFile(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = TEST_IMAGE.split(':') as [string, string];
    const progress = await docker.importImage(tar.stdout, { repo, tag, changes: ['ENV PATH=/bin', 'CMD ["/bin/sh"]'] });
    await follow(docker, progress);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
