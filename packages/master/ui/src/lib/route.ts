// Hash routes: #/, #/agents, #/frameworks, #/tasks?filter, #/tasks/<id>, #/offers. Pure.
import { EMPTY_FILTER, filterFromParams, filterToParams, type TaskFilter } from './task-filter.js';

/** A page of the UI. */
export type Route =
  | { page: 'overview' }
  | { page: 'agents' }
  | { page: 'frameworks' }
  | { page: 'tasks'; filter: TaskFilter }
  | { page: 'task'; taskId: string; frameworkId: string }
  | { page: 'offers' }
  | { page: 'not-found'; path: string };

/** The route of a location hash (`#/tasks?state=TASK_RUNNING`). */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  switch (path) {
    case '/':
      return { page: 'overview' };
    case '/agents':
      return { page: 'agents' };
    case '/frameworks':
      return { page: 'frameworks' };
    case '/tasks':
      return { page: 'tasks', filter: filterFromParams(params) };
    case '/offers':
      return { page: 'offers' };
  }
  const task = /^\/tasks\/(.+)$/.exec(path);
  if (task?.[1] !== undefined) {
    let taskId: string;
    try {
      taskId = decodeURIComponent(task[1]);
    } catch {
      return { page: 'not-found', path };
    }
    return { page: 'task', taskId, frameworkId: params.get('framework_id') ?? '' };
  }
  return { page: 'not-found', path };
}

/** The hash of a route (`#/...`). */
export function routeHash(route: Route): string {
  switch (route.page) {
    case 'overview':
      return '#/';
    case 'agents':
    case 'frameworks':
    case 'offers':
      return `#/${route.page}`;
    case 'tasks': {
      const query = filterToParams(route.filter).toString();
      return query ? `#/tasks?${query}` : '#/tasks';
    }
    case 'task': {
      const path = `#/tasks/${encodeURIComponent(route.taskId)}`;
      return route.frameworkId ? `${path}?framework_id=${encodeURIComponent(route.frameworkId)}` : path;
    }
    case 'not-found':
      return `#${route.path}`;
  }
}

/** The hash of the Tasks page with a filter (fields not given are unset). */
export function tasksHash(filter: Partial<TaskFilter>): string {
  return routeHash({ page: 'tasks', filter: { ...EMPTY_FILTER, ...filter } });
}

/** The hash of one task's page. */
export function taskHash(task: { id: string; framework_id: string }): string {
  return routeHash({ page: 'task', taskId: task.id, frameworkId: task.framework_id });
}
