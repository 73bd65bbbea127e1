// The Tasks page's filter: in the URL hash, in the /master/tasks query, and
// matched against live TASKS deltas the same way the master filters. Pure.
import type { TaskRow } from './types.js';

/** The Tasks page's filter; '' and [] mean "any". */
export interface TaskFilter {
  framework_id: string;
  agent_id: string;
  /** Task states (`TASK_RUNNING`, ...); a task matches any of them. */
  state: readonly string[];
  /** Substring of the task's name or ID, any case. */
  name: string;
  /** By task ID (then framework ID), `asc` or `desc`, as the master sorts. */
  order: 'asc' | 'desc';
}

/** No filter, ascending. */
export const EMPTY_FILTER: TaskFilter = { framework_id: '', agent_id: '', state: [], name: '', order: 'asc' };

/** Every task state, in lifecycle order. */
export const TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;

/** A filter from query parameters (the hash's `?...` or the page's). */
export function filterFromParams(params: URLSearchParams): TaskFilter {
  const state = params
    .getAll('state')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    framework_id: params.get('framework_id') ?? '',
    agent_id: params.get('agent_id') ?? '',
    state: [...new Set(state)],
    name: params.get('name') ?? '',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
  };
}

/** Query parameters for a filter; unset fields are left out. */
export function filterToParams(filter: TaskFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.framework_id) params.set('framework_id', filter.framework_id);
  if (filter.agent_id) params.set('agent_id', filter.agent_id);
  if (filter.state.length > 0) params.set('state', filter.state.join(','));
  if (filter.name) params.set('name', filter.name);
  if (filter.order === 'desc') params.set('order', 'desc');
  return params;
}

/** The /master/tasks URL (path and query) of one page of a filter. */
export function tasksQuery(filter: TaskFilter, offset: number, limit: number): string {
  const params = filterToParams(filter);
  params.set('order', filter.order);
  params.set('offset', String(offset));
  params.set('limit', String(limit));
  return `/master/tasks?${params.toString()}`;
}

/** Whether a task passes the filter, as the master's /master/tasks decides it. */
export function taskMatches(filter: TaskFilter, task: TaskRow): boolean {
  if (filter.framework_id && task.framework_id !== filter.framework_id) return false;
  if (filter.agent_id && task.agent_id !== filter.agent_id) return false;
  if (filter.state.length > 0 && !filter.state.includes(task.state)) return false;
  if (filter.name) {
    const q = filter.name.toLowerCase();
    if (!task.name.toLowerCase().includes(q) && !task.id.toLowerCase().includes(q)) return false;
  }
  return true;
}

/** The master's order of tasks: by task ID, then framework ID (code units, as `<` compares); desc reverses it. */
export function compareTasks(
  a: Pick<TaskRow, 'framework_id' | 'id'>,
  b: Pick<TaskRow, 'framework_id' | 'id'>,
  order: 'asc' | 'desc' = 'asc',
): number {
  const sign = order === 'asc' ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? -sign : sign;
  if (a.framework_id !== b.framework_id) return a.framework_id < b.framework_id ? -sign : sign;
  return 0;
}

/** Whether two filters select the same tasks in the same order. */
export function sameFilter(a: TaskFilter, b: TaskFilter): boolean {
  return filterToParams(a).toString() === filterToParams(b).toString();
}

/** A task's identity: task IDs are unique only within a framework. */
export function taskKey(task: Pick<TaskRow, 'framework_id' | 'id'>): string {
  return `${task.framework_id}/${task.id}`;
}
