// Tasks as the master's /master/state shows them, and waiting for their states.
import type { MasterState, TaskJson } from '@mesocosm/master';
import { TaskStateError, WaitTimeoutError } from './errors.js';
import { fetchJson } from './fetch-json.js';
import { waitFor } from './wait-for.js';

/** A task in `/master/state`, with where it was listed. */
export interface ClusterTask extends TaskJson {
  /** `tasks` (live), `completed_tasks` (terminal) or `unreachable_tasks` (on an unreachable agent). */
  readonly list: 'tasks' | 'completed_tasks' | 'unreachable_tasks';
}

/** Options of `LocalCluster.waitForTask` and `LocalCluster.waitForTasks`. */
export interface WaitForTaskOptions {
  /** Give up after this long (default 30 000 ms). */
  timeoutMs?: number;
  /** Only tasks of this framework (task IDs are unique per framework, not per cluster). */
  frameworkId?: string;
}

/** Task states the master never leaves once a task reached them. */
const TERMINAL = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** Every task of every framework (active or completed) in a master state document. */
export function tasksOf(state: Pick<MasterState, 'frameworks' | 'completed_frameworks'>): ClusterTask[] {
  const out: ClusterTask[] = [];
  for (const fw of [...state.frameworks, ...state.completed_frameworks]) {
    for (const list of ['tasks', 'unreachable_tasks', 'completed_tasks'] as const) {
      for (const t of fw[list] ?? []) out.push({ ...t, list });
    }
  }
  return out;
}

/** Reads the tasks from the master at `masterHttp`. @internal */
export async function readTasks(masterHttp: string, frameworkId?: string): Promise<ClusterTask[]> {
  const state = await fetchJson<MasterState>(`${masterHttp}/master/state`);
  const all = tasksOf(state);
  return frameworkId === undefined ? all : all.filter((t) => t.framework_id === frameworkId);
}

function describe(t: ClusterTask): string {
  const last = t.statuses[t.statuses.length - 1];
  const why = [last?.reason, last?.message].filter((s) => s !== undefined && s !== '' && s !== 'REASON_NONE');
  return `${t.state}${why.length > 0 ? ` (${why.join(': ')})` : ''}`;
}

/**
 * Polls until task `taskId` is in one of `states`; resolves with it. Rejects
 * at once with a {@link TaskStateError} when the task reached another
 * terminal state (it will never get there), and with a `WaitTimeoutError`
 * naming the task's last state when time runs out. @internal
 */
export async function waitForTaskState(
  masterHttp: () => string,
  taskId: string,
  states: readonly string[],
  options: WaitForTaskOptions = {},
): Promise<ClusterTask> {
  if (states.length === 0) throw new TaskStateError(taskId, 'no state to wait for was given', undefined);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const wanted = states.join(' or ');
  let last: ClusterTask | undefined;
  let outcome: { task: ClusterTask } | { error: TaskStateError };
  try {
    outcome = await waitFor(
      async () => {
        const matches = (await readTasks(masterHttp(), options.frameworkId)).filter((t) => t.id === taskId);
        if (matches.length > 1) {
          const fws = matches.map((t) => t.framework_id).join(', ');
          return { error: new TaskStateError(taskId, `several frameworks have it (${fws}): give frameworkId`, last) };
        }
        last = matches[0];
        if (last && states.includes(last.state)) return { task: last };
        if (last && TERMINAL.has(last.state)) {
          const why = `ended ${describe(last)}, not ${wanted}, and will not change again`;
          return { error: new TaskStateError(taskId, why, last) };
        }
        return undefined;
      },
      { timeoutMs },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const seen = last ? `its state is ${describe(last)}` : 'it is not in /master/state';
    throw new WaitTimeoutError(
      `timed out after ${timeoutMs} ms waiting for task '${taskId}' in ${wanted}: ${seen}`,
      err.cause,
    );
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.task;
}

/**
 * Polls the master's tasks until `predicate` returns a value other than
 * false, undefined or null; resolves with that value. @internal
 */
export async function waitForTasksMatching<T>(
  masterHttp: () => string,
  predicate: (tasks: ClusterTask[]) => T | false | undefined | null,
  options: WaitForTaskOptions & { message?: string } = {},
): Promise<T> {
  return waitFor(async () => predicate(await readTasks(masterHttp(), options.frameworkId)), {
    timeoutMs: options.timeoutMs ?? 30_000,
    message: options.message ?? 'the tasks in /master/state to match the predicate',
  });
}
