// `mesocosm logs TASK`: a task's stdout (or stderr) from its sandbox, read
// through the master's proxy of the agent's files API. The task is found by
// ID (or name); its file is `<sandbox>/run-<latest>/stdout`. `--follow` keeps
// reading from where it stopped until the task is terminal and the file has
// stopped growing, or Ctrl-C.
import { pickFramework, pickTask } from '../lookup.js';
import { connectMaster, type MasterClient } from '../master-client.js';
import type { FrameworksPage, TaskRow } from '../master-json.js';
import { InterruptedError, NotFoundError } from '../operator-errors.js';
import type { OperatorIo } from '../operator-io.js';
import { byteLength, latestRunDir, READ_CHUNK_BYTES, SandboxFiles } from '../sandbox-files.js';
import { isTerminalStateName } from '../task-states.js';
import { fetchTasks } from './tasks.js';

/** Flags of `mesocosm logs`. */
export interface LogsFlags {
  master?: string;
  /** Task ID (or name, or a unique part of either). */
  task: string;
  /** Framework ID or name, when task IDs repeat across frameworks. */
  framework?: string;
  stderr: boolean;
  follow: boolean;
  /** Only the last N lines (then follow from the end). */
  tail?: number;
  /** How often --follow looks for more. */
  intervalMs: number;
}

/** The candidate rows for `text`: the master filters by substring of name or ID. */
async function findTask(master: MasterClient, flags: LogsFlags): Promise<TaskRow> {
  let frameworkId: string | undefined;
  if (flags.framework !== undefined) {
    const page = await master.get<FrameworksPage>('/master/frameworks');
    frameworkId = pickFramework([...page.frameworks, ...page.completed_frameworks], flags.framework, '--framework').id;
  }
  const page = await fetchTasks(master, { name: flags.task, framework_id: frameworkId }, 0, true);
  return pickTask(page.tasks, flags.task);
}

/** The task's row as the master has it now (undefined once the master no longer keeps it). */
async function refresh(master: MasterClient, task: TaskRow): Promise<TaskRow | undefined> {
  const page = await fetchTasks(master, { name: task.id, framework_id: task.framework_id }, 0, true);
  try {
    return pickTask(
      page.tasks.filter((t) => t.id === task.id),
      task.id,
    );
  } catch {
    return undefined;
  }
}

/** The log file's path, or undefined while the sandbox has no run directory yet. */
async function logPath(files: SandboxFiles, task: TaskRow, name: string): Promise<string | undefined> {
  if (task.sandbox === '') return undefined;
  let entries;
  try {
    entries = await files.browse(task.sandbox);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined; // not created yet
    throw err;
  }
  const run = latestRunDir(entries);
  return run === undefined ? undefined : `${run}/${name}`;
}

/** Prints the file from `offset` to its current end; returns the new offset. */
async function printFrom(files: SandboxFiles, path: string, offset: number, io: OperatorIo): Promise<number> {
  let at = offset;
  for (;;) {
    const chunk = await files.read(path, at, READ_CHUNK_BYTES);
    if (chunk.offset < at) at = chunk.offset; // truncated under us: go on from its end
    if (chunk.data === '') return at;
    io.out(chunk.data);
    at += byteLength(chunk.data);
  }
}

/** Runs `mesocosm logs`. */
export async function runLogs(flags: LogsFlags, io: OperatorIo): Promise<void> {
  const interrupts = io.interrupts();
  const { signal } = interrupts;
  const fileName = flags.stderr ? 'stderr' : 'stdout';
  try {
    const master = await connectMaster(io, flags.master, signal);
    let task = await findTask(master, flags);
    const files = new SandboxFiles(master, task.agent_id);
    let path = await logPath(files, task, fileName);
    if (path === undefined && !flags.follow) {
      throw new NotFoundError(
        'NOT_FOUND',
        `task ${task.id} (${task.state}) has no sandbox on agent ${task.agent_hostname || task.agent_id} yet; ` +
          'try again once it runs, or use --follow to wait for it',
      );
    }
    // --follow on a task still staging: wait for its sandbox (or its end).
    while (path === undefined) {
      await io.sleep(flags.intervalMs, signal);
      const now = await refresh(master, task);
      if (now === undefined || isTerminalStateName(now.state)) {
        path = await logPath(files, now ?? task, fileName);
        if (path === undefined) return;
        break;
      }
      task = now;
      path = await logPath(files, task, fileName);
    }
    let offset: number;
    if (flags.tail !== undefined) {
      offset = await files.size(path);
      io.out(await files.tail(path, offset, flags.tail));
    } else {
      offset = await printFrom(files, path, 0, io);
    }
    if (!flags.follow) return;
    // The agent writes the last bytes before it reports the task's end: once
    // the task is terminal, one more read reaches the end for good.
    for (let terminal = false; ;) {
      const before = offset;
      offset = await printFrom(files, path, offset, io);
      if (terminal) return;
      if (offset === before) {
        const now = await refresh(master, task);
        terminal = now === undefined || isTerminalStateName(now.state);
        if (!terminal) await io.sleep(flags.intervalMs, signal);
      }
    }
  } catch (err) {
    if (flags.follow && (err instanceof InterruptedError || signal.aborted)) return; // Ctrl-C ends a follow
    throw err;
  } finally {
    interrupts.dispose();
  }
}
