// Spawning a task's process: detached (its own process group), cwd = the
// sandbox, stdout and stderr into files of the sandbox.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Clock, TimerHandle } from '@mesocosm/protocol';
import type { Termination } from '../isolation/isolator.js';
import type { CommandLine } from './command-line.js';

/** A spawned task process. Its pid is also its process group ID. */
export interface SpawnedProcess {
  readonly pid: number;
  readonly exited: Promise<Termination>;
  /** Lets the agent exit while the process runs on. */
  unref(): void;
}

/** Where a program would be found (a path, or searched in `PATH`); throws ENOENT/EACCES as spawn would. */
export async function checkExecutable(file: string, env: Record<string, string>): Promise<void> {
  const candidates = file.includes('/')
    ? [file]
    : (env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter).map((d) => join(d || '.', file));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return;
    } catch {
      // try the next one
    }
  }
  throw Object.assign(new Error(`spawn ${file} ENOENT: no executable '${file}' found`), { code: 'ENOENT' });
}

/** Spawns `cmd`; resolves once the process exists, rejects when it cannot be started. */
export async function spawnProcess(
  cmd: CommandLine,
  cwd: string,
  env: Record<string, string>,
): Promise<SpawnedProcess> {
  const out = await open(join(cwd, 'stdout'), 'a');
  const err = await open(join(cwd, 'stderr'), 'a');
  try {
    const child = spawn(cmd.file, [...cmd.args], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', out.fd, err.fd],
      ...(cmd.argv0 === undefined ? {} : { argv0: cmd.argv0 }),
    });
    const exited = new Promise<Termination>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`spawn ${cmd.file}: no pid`);
    return { pid, exited, unref: () => child.unref() };
  } finally {
    await out.close();
    await err.close();
  }
}

/** Sends `signal` to a whole process group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills a process group the Mesos way: SIGTERM now, SIGKILL after
 * `gracePeriodMs` (at once when it is 0 or less). Returns the pending SIGKILL
 * timer, for the caller to clear when the group ends first.
 */
export function killGroupGracefully(
  pgid: number,
  gracePeriodMs: number,
  clock: Clock,
  onEscalate: () => void = () => {},
): TimerHandle | undefined {
  if (gracePeriodMs <= 0) {
    signalGroup(pgid, 'SIGKILL');
    return undefined;
  }
  signalGroup(pgid, 'SIGTERM');
  return clock.setTimeout(() => {
    onEscalate();
    signalGroup(pgid, 'SIGKILL');
  }, gracePeriodMs);
}
