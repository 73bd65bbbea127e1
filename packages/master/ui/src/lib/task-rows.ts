// The Tasks page's rows: a sparse window over the master's filtered task list,
// filled page by page from /master/tasks as the table scrolls and kept live by
// TASKS deltas. Immutable: each change makes a new state; rows that did not
// change keep their object, so memoised table rows do not re-render. Pure.
import { compareTasks, taskKey, taskMatches, type TaskFilter } from './task-filter.js';
import type { TaskRow, TasksPage } from './types.js';

/** Rows per /master/tasks request. */
export const TASK_PAGE_SIZE = 100;

/** The rows known so far of one filter. */
export interface TaskRows {
  /** How many tasks the filter selects (the table's length). */
  readonly total: number;
  /** Row `i` of the filtered list, or undefined while its page is not loaded. */
  readonly rows: readonly (TaskRow | undefined)[];
  /** Where each loaded task sits in `rows`, by {@link taskKey}. */
  readonly index: ReadonlyMap<string, number>;
  /** False until the first page arrived. */
  readonly loaded: boolean;
}

/** Nothing loaded yet. */
export const NO_ROWS: TaskRows = { total: 0, rows: [], index: new Map(), loaded: false };

function resized<T>(rows: readonly (T | undefined)[], length: number): (T | undefined)[] {
  const out = rows.slice(0, length);
  while (out.length < length) out.push(undefined);
  return out;
}

/** Puts one page from /master/tasks in place; the master's total wins. */
export function applyPage(state: TaskRows, page: TasksPage): TaskRows {
  const total = Math.max(page.total, 0);
  const rows = resized(state.rows, total);
  const index = new Map(state.index);
  for (const [key, at] of index) if (at >= total) index.delete(key);
  page.tasks.forEach((task, i) => {
    const at = page.offset + i;
    if (at >= total) return;
    const key = taskKey(task);
    const before = index.get(key);
    // The same task seen elsewhere (the list moved between two requests): that slot is stale.
    if (before !== undefined && before !== at) rows[before] = undefined;
    const displaced = rows[at];
    if (displaced && taskKey(displaced) !== key && index.get(taskKey(displaced)) === at) index.delete(taskKey(displaced));
    rows[at] = task;
    index.set(key, at);
  });
  return { total, rows, index, loaded: true };
}

/**
 * Where a new task goes among the loaded rows: before the first loaded row
 * that sorts after it. Exact when its neighbours are loaded; otherwise close,
 * and the next page loaded there puts it right.
 */
function insertionPoint(rows: readonly (TaskRow | undefined)[], task: TaskRow, order: 'asc' | 'desc'): number {
  let lo = 0;
  let hi = rows.length;
  // Binary search over the loaded rows (holes are skipped towards the nearest loaded one).
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let probe = mid;
    while (probe < hi && rows[probe] === undefined) probe++;
    const row = probe < hi ? rows[probe] : undefined;
    if (row === undefined) {
      hi = mid;
    } else if (compareTasks(row, task, order) < 0) {
      lo = probe + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/**
 * Applies a TASKS delta: a loaded task gets its new row in place; a task not
 * loaded that matches the filter is inserted where the master's order puts
 * it, when both its neighbours there are loaded: then it is new (an existing
 * task would have been loaded between them). Next to rows not loaded yet it
 * may be a task of those rows, so it is left to the page that loads them.
 * Returns `state` itself when nothing changed.
 */
export function applyTaskDelta(state: TaskRows, upserted: readonly TaskRow[], filter: TaskFilter): TaskRows {
  if (!state.loaded || upserted.length === 0) return state;
  let rows: (TaskRow | undefined)[] | undefined;
  const added = new Map<string, TaskRow>();
  for (const task of upserted) {
    const key = taskKey(task);
    const at = state.index.get(key);
    if (at !== undefined) {
      rows ??= state.rows.slice();
      rows[at] = task;
    } else if (taskMatches(filter, task)) {
      added.set(key, task);
    }
  }
  if (added.size === 0) return rows ? { ...state, rows } : state;
  let inserted = false;
  for (const task of added.values()) {
    const current = rows ?? state.rows;
    const at = insertionPoint(current, task, filter.order);
    const known = (at === 0 || current[at - 1] !== undefined) && (at === current.length || current[at] !== undefined);
    if (!known) continue;
    rows ??= state.rows.slice();
    rows.splice(at, 0, task);
    inserted = true;
  }
  if (!rows) return state;
  if (!inserted) return { ...state, rows };
  const index = new Map<string, number>();
  rows.forEach((t, i) => {
    if (t) index.set(taskKey(t), i);
  });
  return { total: rows.length, rows, index, loaded: true };
}

/** The pages (numbers) that rows `start..end` (inclusive) need and that are neither loaded nor asked for. */
export function missingPages(
  state: TaskRows,
  start: number,
  end: number,
  inFlight: ReadonlySet<number>,
  pageSize = TASK_PAGE_SIZE,
): number[] {
  if (!state.loaded) return inFlight.has(0) ? [] : [0];
  const pages: number[] = [];
  const last = Math.min(end, state.total - 1);
  for (let i = Math.max(0, start); i <= last; i++) {
    if (state.rows[i] !== undefined) continue;
    const page = Math.floor(i / pageSize);
    if (!inFlight.has(page) && !pages.includes(page)) pages.push(page);
    i = (page + 1) * pageSize - 1;
  }
  return pages;
}
