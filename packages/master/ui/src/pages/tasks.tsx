// Tasks: filtered by the master (framework, agent, state, name), paged in as
// the table scrolls, kept live by TASKS deltas.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { feedStore, useClusterView } from '../api/feed-store.js';
import { fetchTasks } from '../api/http.js';
import { VirtualTable, type Column } from '../components/virtual-table.js';
import { useDebounced } from '../hooks.js';
import { sortedAgents, sortedFrameworks } from '../lib/feed-state.js';
import { fmtScalar, fmtTime, scalarOf, shortState } from '../lib/format.js';
import { routeHash, taskHash } from '../lib/route.js';
import { filterToParams, TASK_STATES, taskKey, type TaskFilter } from '../lib/task-filter.js';
import { applyPage, applyTaskDelta, missingPages, NO_ROWS, TASK_PAGE_SIZE, type TaskRows } from '../lib/task-rows.js';
import type { TaskRow } from '../lib/types.js';

function lastUpdate(t: TaskRow): number {
  return t.statuses[t.statuses.length - 1]?.timestamp ?? 0;
}

const COLUMNS: Column<TaskRow>[] = [
  {
    id: 'id',
    header: 'Task',
    width: 'minmax(10rem, 1.5fr)',
    cell: (t) => (
      <a href={taskHash(t)} className="mono small" data-testid={`task-link-${t.id}`}>
        {t.id}
      </a>
    ),
  },
  { id: 'name', header: 'Name', width: 'minmax(6rem, 1fr)', cell: (t) => t.name },
  {
    id: 'state',
    header: 'State',
    width: '7rem',
    cell: (t) => (
      <span className={`state ${shortState(t.state)}`} data-testid={`task-state-${t.id}`}>
        {shortState(t.state)}
      </span>
    ),
  },
  {
    id: 'health',
    header: 'Health',
    width: '5rem',
    cell: (t) => (t.healthy === undefined ? '' : t.healthy ? 'healthy' : 'unhealthy'),
  },
  { id: 'framework', header: 'Framework', width: 'minmax(6rem, 1fr)', cell: (t) => t.framework_name || t.framework_id },
  { id: 'agent', header: 'Agent', width: 'minmax(6rem, 1fr)', cell: (t) => t.agent_hostname || t.agent_id },
  { id: 'cpus', header: 'CPUs', width: '4rem', cell: (t) => fmtScalar('cpus', scalarOf(t.resources, 'cpus')) },
  { id: 'mem', header: 'Mem', width: '5rem', cell: (t) => fmtScalar('mem', scalarOf(t.resources, 'mem')) },
  {
    id: 'updated',
    header: 'Updated',
    width: '10rem',
    cell: (t) => <span className="small">{fmtTime(lastUpdate(t))}</span>,
  },
];

function FilterBar({ filter }: { filter: TaskFilter }): ReactElement {
  const view = useClusterView();
  const frameworks = useMemo(() => sortedFrameworks(view.frameworks), [view.frameworks]);
  const agents = useMemo(() => sortedAgents(view.agents), [view.agents]);
  const [name, setName] = useState(filter.name);
  const settledName = useDebounced(name, 300);
  const go = useCallback((f: TaskFilter) => {
    const hash = routeHash({ page: 'tasks', filter: f });
    if (hash !== window.location.hash) window.location.hash = hash;
  }, []);
  useEffect(() => setName(filter.name), [filter.name]);
  useEffect(() => {
    if (settledName !== filter.name) go({ ...filter, name: settledName });
    // Only a settled name moves the page (the other fields move it at once).
  }, [settledName]); // filter and go are read as they are when the name settles
  return (
    <div className="filters" role="search">
      <label>
        Framework
        <select
          value={filter.framework_id}
          data-testid="filter-framework"
          onChange={(e) => go({ ...filter, framework_id: e.target.value })}
        >
          <option value="">any</option>
          {frameworks.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name} ({f.id})
            </option>
          ))}
          {filter.framework_id && !view.frameworks.has(filter.framework_id) ? (
            <option value={filter.framework_id}>{filter.framework_id}</option>
          ) : null}
        </select>
      </label>
      <label>
        Agent
        <select
          value={filter.agent_id}
          data-testid="filter-agent"
          onChange={(e) => go({ ...filter, agent_id: e.target.value })}
        >
          <option value="">any</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.hostname} ({a.id})
            </option>
          ))}
          {filter.agent_id && !view.agents.has(filter.agent_id) ? (
            <option value={filter.agent_id}>{filter.agent_id}</option>
          ) : null}
        </select>
      </label>
      <label>
        State
        <select
          value={filter.state.length === 1 ? filter.state[0] : filter.state.length === 0 ? '' : 'several'}
          data-testid="filter-state"
          onChange={(e) => go({ ...filter, state: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">any</option>
          {filter.state.length > 1 ? <option value="several">{filter.state.map(shortState).join(', ')}</option> : null}
          {TASK_STATES.map((st) => (
            <option key={st} value={st}>
              {shortState(st)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name or ID
        <input type="search" value={name} data-testid="filter-name" onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Order
        <select
          value={filter.order}
          data-testid="filter-order"
          onChange={(e) => go({ ...filter, order: e.target.value === 'desc' ? 'desc' : 'asc' })}
        >
          <option value="asc">by ID, ascending</option>
          <option value="desc">by ID, descending</option>
        </select>
      </label>
    </div>
  );
}

function TaskTable({ filter }: { filter: TaskFilter }): ReactElement {
  const snapshots = useClusterView().snapshots;
  const [rows, setRows] = useState<TaskRows>(NO_ROWS);
  const [error, setError] = useState('');
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const inFlight = useRef(new Set<number>());
  const range = useRef<[number, number]>([0, TASK_PAGE_SIZE - 1]);
  const early = useRef<TaskRow[]>([]);
  const generation = useRef(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const filterKey = `${filterToParams(filter).toString()}|${filter.order}`;

  const load = useCallback((pages: readonly number[]) => {
    const gen = generation.current;
    const f = filterRef.current;
    for (const page of pages) {
      inFlight.current.add(page);
      fetchTasks(f, page * TASK_PAGE_SIZE, TASK_PAGE_SIZE).then(
        (result) => {
          if (gen !== generation.current) return;
          inFlight.current.delete(page);
          const pending = early.current;
          early.current = [];
          setError('');
          setRows((s) => {
            const next = applyPage(s, result);
            return pending.length > 0 ? applyTaskDelta(next, pending, f) : next;
          });
        },
        (err: unknown) => {
          if (gen !== generation.current) return;
          inFlight.current.delete(page);
          setError(err instanceof Error ? err.message : String(err));
        },
      );
    }
  }, []);

  // A new filter, or a new snapshot after a reconnect (deltas may be lost): start over.
  useEffect(() => {
    generation.current++;
    inFlight.current.clear();
    early.current = [];
    setRows(NO_ROWS);
    rowsRef.current = NO_ROWS;
    load(missingPages(NO_ROWS, 0, 0, inFlight.current));
  }, [filterKey, snapshots, load]);

  useEffect(
    () =>
      feedStore.subscribeTasks((upserted) => {
        if (!rowsRef.current.loaded) {
          early.current.push(...upserted);
          return;
        }
        setRows((s) => applyTaskDelta(s, upserted, filterRef.current));
      }),
    [],
  );

  // Load what the visible range lacks, after every change of rows or range.
  const ensure = useCallback(() => {
    const [start, end] = range.current;
    const pages = missingPages(rowsRef.current, start, end, inFlight.current);
    if (pages.length > 0 && rowsRef.current.loaded) load(pages);
  }, [load]);
  useEffect(ensure, [rows, ensure]);
  const onRange = useCallback(
    (start: number, end: number) => {
      range.current = [start, end];
      ensure();
    },
    [ensure],
  );

  const rowAt = useCallback((i: number) => rows.rows[i], [rows]);
  return (
    <>
      <div className="toolbar">
        <span className="muted" data-testid="tasks-total" data-value={rows.total}>
          {rows.loaded ? `${rows.total} ${rows.total === 1 ? 'task' : 'tasks'}` : 'loading…'}
        </span>
        {error ? (
          <span className="error" role="alert" data-testid="tasks-error">
            {error}
          </span>
        ) : null}
      </div>
      <VirtualTable
        testId="tasks-table"
        count={rows.total}
        rowAt={rowAt}
        rowKey={taskKey}
        rowTestId={(t) => `task-row-${t.id}`}
        columns={COLUMNS}
        onRange={onRange}
        empty={rows.loaded ? 'No tasks match.' : 'Loading…'}
      />
    </>
  );
}

export function TasksPage({ filter }: { filter: TaskFilter }): ReactElement {
  return (
    <section>
      <div className="toolbar">
        <h2>Tasks</h2>
      </div>
      <FilterBar filter={filter} />
      <TaskTable filter={filter} />
    </section>
  );
}
