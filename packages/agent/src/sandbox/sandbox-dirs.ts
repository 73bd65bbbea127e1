// Sandbox directories: `<work_dir>/sandboxes/<framework_id>/<task_id>/run-<n>/`.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The root of every sandbox under a work dir. */
export function sandboxesRoot(workDir: string): string {
  return join(workDir, 'sandboxes');
}

/** Why `id` cannot name a directory, or undefined when it can. Pure. */
export function unsafeIdReason(kind: string, id: string): string | undefined {
  if (id === '') return `${kind} is empty`;
  if (id === '.' || id === '..') return `${kind} '${id}' is not allowed`;
  if (id.includes('/') || id.includes('\0')) return `${kind} '${id}' must not contain '/' or NUL`;
  return undefined;
}

/** The next run number of a task, given the names already in its directory. Pure. */
export function nextRunNumber(existing: readonly string[]): number {
  let max = 0;
  for (const name of existing) {
    const m = /^run-(\d+)$/.exec(name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

/** Creates the next run's sandbox for a task and returns its path. */
export async function createSandbox(workDir: string, frameworkId: string, taskId: string): Promise<string> {
  const taskDir = join(sandboxesRoot(workDir), frameworkId, taskId);
  await mkdir(taskDir, { recursive: true });
  for (;;) {
    const dir = join(taskDir, `run-${nextRunNumber(await readdir(taskDir))}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (err) {
      // Another launch took this number meanwhile: pick the next one.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
