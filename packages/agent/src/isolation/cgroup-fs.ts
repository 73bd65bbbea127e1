// Small file operations on cgroup directories.
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '@mesocosm/protocol';

/** True when `dir/file` exists. */
export async function hasFile(dir: string, file: string): Promise<boolean> {
  try {
    await access(join(dir, file));
    return true;
  } catch {
    return false;
  }
}

/** Writes a control file. */
export async function writeControl(dir: string, file: string, value: string): Promise<void> {
  await writeFile(join(dir, file), value);
}

/** Reads a control file, or undefined when it cannot be read. */
export async function readControl(dir: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** A `key value` counter from a flat-keyed file such as memory.oom_control or memory.events. */
export function counter(text: string | undefined, key: string): number | undefined {
  const m = new RegExp(`^${key}\\s+(\\d+)$`, 'm').exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Creates a cgroup directory (and its parents). */
export async function makeCgroup(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}

const SLEEP_MS = 20;
const DEADLINE_MS = 5000;

/**
 * SIGKILLs every process left in the cgroup and removes it. Waits (bounded)
 * for the kernel to empty it, since rmdir fails while any process remains.
 */
export async function destroyCgroup(dir: string, clock: Clock): Promise<void> {
  const until = clock.now() + DEADLINE_MS;
  for (;;) {
    const procs = (await readControl(dir, 'cgroup.procs')) ?? '';
    const pids = procs.split('\n').filter((s) => s.trim() !== '');
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    try {
      await rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (clock.now() > until) throw err;
    }
    await new Promise<void>((resolve) => clock.setTimeout(resolve, SLEEP_MS));
  }
}

/**
 * The wrapper that moves the process into its cgroups and then execs the
 * task: `/bin/sh -c SCRIPT mesocosm-cgroup PROCS... -- PROGRAM ARGS...`.
 * Entering before exec means every descendant starts inside the cgroup;
 * writing the pid after spawn would race with the task's first forks.
 */
export const ENTER_CGROUP_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
