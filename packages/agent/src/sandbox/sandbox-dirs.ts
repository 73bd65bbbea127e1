// Sandbox directories, one per run:
//   `<work_dir>/sandboxes/<framework_id>/tasks/<task_id>/run-<n>/`          (command and Docker tasks)
//   `<work_dir>/sandboxes/<framework_id>/executors/<executor_id>/run-<n>/`  (custom executors)
// The `tasks`/`executors` level keeps a task ID from colliding with an executor's directory.
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

/** Creates the next run's sandbox of a task (or, with kind 'executors', an executor) and returns its path. */
export async function createSandbox(
  workDir: string,
  frameworkId: string,
  id: string,
  kind: 'tasks' | 'executors' = 'tasks',
): Promise<string> {
  const taskDir = join(sandboxesRoot(workDir), frameworkId, kind, id);
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
