// GET /master/tasks: filters checked from the query string, then one pass
// over the tasks (live and completed, of registered and completed
// frameworks), sorted by task ID and paged; rows are built for the page only.
import { TaskState, taskStateName, ValidationError } from '@mesocosm/protocol';
import { SEE_ALL, type Viewer } from '../auth/viewer.js';
import type { MasterContext, TaskRecord } from '../core/types.js';
import type { TasksPage } from './feed-types.js';
import { taskRow } from './rows.js';

/** Rows per page when `limit` is not given, and the most a page may hold. */
export const DEFAULT_TASKS_LIMIT = 100;
export const MAX_TASKS_LIMIT = 1000;

/** A checked /master/tasks query. */
export interface TasksQuery {
  frameworkId?: string;
  agentId?: string;
  /** Wanted states; undefined = every state. */
  states?: ReadonlySet<TaskState>;
  /** Substring of the task's name or ID (case-insensitive). */
  name?: string;
  offset: number;
  limit: number;
  order: 'asc' | 'desc';
}

const PARAMS = ['framework_id', 'agent_id', 'state', 'name', 'offset', 'limit', 'order'];

const STATE_NAMES: ReadonlyMap<string, TaskState> = new Map(
  Object.values(TaskState)
    .filter((v): v is TaskState => typeof v === 'number')
    .map((v) => [taskStateName(v), v]),
);

function parseState(text: string): TaskState {
  const upper = text.trim().toUpperCase();
  const state = STATE_NAMES.get(upper) ?? STATE_NAMES.get(`TASK_${upper}`);
  if (state === undefined) {
    throw new ValidationError('state', `'${text}' is not a task state: use e.g. TASK_RUNNING or running`);
  }
  return state;
}

function single(query: URLSearchParams, name: string): string | undefined {
  const all = query.getAll(name);
  if (all.length > 1) throw new ValidationError(name, 'may be given once');
  return all[0] === '' ? undefined : all[0];
}

function nonNegativeInt(query: URLSearchParams, name: string, fallback: number): number {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ValidationError(name, `must be a whole number of 0 or more, got '${text}'`);
  }
  return Number(text);
}

/** Checks a /master/tasks query string; throws a ValidationError naming the bad parameter. */
export function parseTasksQuery(query: URLSearchParams): TasksQuery {
  for (const key of query.keys()) {
    if (!PARAMS.includes(key))
      throw new ValidationError(key, `is not a parameter of /master/tasks: use ${PARAMS.join(', ')}`);
  }
  const limit = nonNegativeInt(query, 'limit', DEFAULT_TASKS_LIMIT);
  if (limit < 1 || limit > MAX_TASKS_LIMIT) {
    throw new ValidationError('limit', `must be between 1 and ${MAX_TASKS_LIMIT}, got ${limit}`);
  }
  const order = single(query, 'order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new ValidationError('order', `must be asc or desc, got '${order}'`);
  const stateTexts = query
    .getAll('state')
    .flatMap((s) => s.split(','))
    .filter((s) => s.trim() !== '');
  const frameworkId = single(query, 'framework_id');
  const agentId = single(query, 'agent_id');
  const name = single(query, 'name')?.toLowerCase();
  return {
    ...(frameworkId === undefined ? {} : { frameworkId }),
    ...(agentId === undefined ? {} : { agentId }),
    ...(stateTexts.length === 0 ? {} : { states: new Set(stateTexts.map(parseState)) }),
    ...(name === undefined ? {} : { name }),
    offset: nonNegativeInt(query, 'offset', 0),
    limit,
    order,
  };
}

function matches(q: TasksQuery, t: TaskRecord): boolean {
  if (q.agentId !== undefined && t.agentId !== q.agentId) return false;
  if (q.states && !q.states.has(t.state)) return false;
  if (q.name !== undefined) {
    const name = t.info.name ?? '';
    if (!t.taskId.toLowerCase().includes(q.name) && !name.toLowerCase().includes(q.name)) return false;
  }
  return true;
}

/** The matching tasks `viewer` may see, ordered by task ID then framework ID. */
export function findTasks(ctx: MasterContext, q: TasksQuery, viewer: Viewer = SEE_ALL): TaskRecord[] {
  const found: TaskRecord[] = [];
  for (const frameworks of [ctx.frameworks, ctx.completedFrameworks]) {
    for (const fw of frameworks.values()) {
      if (q.frameworkId !== undefined && fw.id !== q.frameworkId) continue;
      for (const tasks of [fw.tasks, fw.completedTasks]) {
        for (const t of tasks.values()) {
          if (matches(q, t) && (viewer.all || viewer.task(fw.info, t.info))) found.push(t);
        }
      }
    }
  }
  const sign = q.order === 'asc' ? 1 : -1;
  return found.sort((a, b) => {
    if (a.taskId !== b.taskId) return a.taskId < b.taskId ? -sign : sign;
    return a.frameworkId < b.frameworkId ? -sign : a.frameworkId > b.frameworkId ? sign : 0;
  });
}

/** Builds GET /master/tasks (the tasks `viewer` may see). */
export function tasksPage(ctx: MasterContext, q: TasksQuery, viewer: Viewer = SEE_ALL): TasksPage {
  const found = findTasks(ctx, q, viewer);
  return {
    tasks: found.slice(q.offset, q.offset + q.limit).map((t) => taskRow(ctx, t)),
    total: found.length,
    offset: q.offset,
    limit: q.limit,
  };
}
