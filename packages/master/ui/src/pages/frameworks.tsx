// Frameworks: role, principal, dominant share, use, connection, tasks, teardown.
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { useClusterView } from '../api/feed-store.js';
import { getJson, teardownFramework } from '../api/http.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { VirtualTable, type Column } from '../components/virtual-table.js';
import { sortedFrameworks } from '../lib/feed-state.js';
import { fmtDuration, fmtPercent, fmtResources, fmtTime, shortState } from '../lib/format.js';
import { tasksHash } from '../lib/route.js';
import type { FrameworkRow, FrameworksPage } from '../lib/types.js';

/** `connected`, `inactive`, or `disconnected` with how long it may stay away. */
export function frameworkState(f: FrameworkRow): string {
  if (f.connected) return f.active ? 'connected' : 'connected, inactive';
  return `disconnected (failover ${fmtDuration(f.failover_timeout)})`;
}

function taskCounts(f: FrameworkRow): string {
  const parts = Object.entries(f.task_counts)
    .filter(([, n]) => n > 0)
    .map(([st, n]) => `${n} ${shortState(st)}`);
  return parts.length > 0 ? parts.join(', ') : 'no tasks';
}

const COLUMNS: Column<FrameworkRow>[] = [
  {
    id: 'name',
    header: 'Framework',
    width: 'minmax(10rem, 1.4fr)',
    cell: (f) => (
      <span className="stack">
        <strong>{f.webui_url ? <a href={f.webui_url}>{f.name}</a> : f.name}</strong>
        <span className="mono muted small">{f.id}</span>
      </span>
    ),
  },
  { id: 'role', header: 'Role', width: '6rem', cell: (f) => f.roles.join(', ') || f.role },
  {
    id: 'principal',
    header: 'Principal',
    width: '7rem',
    cell: (f) => f.principal || <span className="muted">none</span>,
  },
  {
    id: 'share',
    header: 'Share',
    width: '5rem',
    cell: (f) => <span data-testid={`framework-share-${f.id}`}>{fmtPercent(f.dominant_share)}</span>,
  },
  {
    id: 'used',
    header: 'Used',
    width: 'minmax(8rem, 1fr)',
    cell: (f) => <span className="small">{fmtResources(f.used_resources)}</span>,
  },
  {
    id: 'offered',
    header: 'Offered',
    width: 'minmax(8rem, 1fr)',
    cell: (f) => <span className="small">{fmtResources(f.offered_resources)}</span>,
  },
  {
    id: 'state',
    header: 'State',
    width: 'minmax(8rem, 1fr)',
    cell: (f) => (
      <span
        className={f.connected ? 'status connected' : 'status disconnected'}
        data-testid={`framework-state-${f.id}`}
      >
        {frameworkState(f)}
      </span>
    ),
  },
  {
    id: 'tasks',
    header: 'Tasks',
    width: 'minmax(7rem, 1fr)',
    cell: (f) => (
      <a href={tasksHash({ framework_id: f.id })} data-testid={`framework-tasks-${f.id}`} className="small">
        {taskCounts(f)}
      </a>
    ),
  },
  {
    id: 'actions',
    header: '',
    width: 'minmax(7rem, 1fr)',
    cell: (f) => (
      <ConfirmButton
        label="Teardown"
        danger
        question={`Tear down ${f.name}? Its tasks are killed.`}
        testId={`teardown-${f.id}`}
        onConfirm={() => teardownFramework(f.id)}
      />
    ),
  },
];

function CompletedFrameworks({ active }: { active: number }): ReactElement | null {
  const [completed, setCompleted] = useState<FrameworkRow[] | undefined>();
  useEffect(() => {
    const abort = new AbortController();
    getJson<FrameworksPage>('/master/frameworks', abort.signal).then(
      (page) => setCompleted(page.completed_frameworks),
      () => setCompleted(undefined),
    );
    return () => abort.abort();
  }, [active]);
  if (!completed || completed.length === 0) return null;
  return (
    <details className="panel">
      <summary>{completed.length} completed frameworks</summary>
      <table className="plain">
        <thead>
          <tr>
            <th>Name</th>
            <th>ID</th>
            <th>Role</th>
            <th>Registered</th>
            <th>Removed</th>
          </tr>
        </thead>
        <tbody>
          {completed.slice(0, 200).map((f) => (
            <tr key={f.id}>
              <td>{f.name}</td>
              <td className="mono small">
                <a href={tasksHash({ framework_id: f.id })}>{f.id}</a>
              </td>
              <td>{f.role}</td>
              <td>{fmtTime(f.registered_time)}</td>
              <td>{fmtTime(f.unregistered_time ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function FrameworksPage(): ReactElement {
  const view = useClusterView();
  const frameworks = useMemo(() => sortedFrameworks(view.frameworks), [view.frameworks]);
  return (
    <section>
      <div className="toolbar">
        <h2>Frameworks</h2>
        <span className="muted" data-testid="frameworks-total">
          {frameworks.length}
        </span>
      </div>
      <VirtualTable
        testId="frameworks-table"
        count={frameworks.length}
        rowAt={(i) => frameworks[i]}
        rowKey={(f) => f.id}
        rowTestId={(f) => `framework-row-${f.id}`}
        columns={COLUMNS}
        rowHeight={44}
        height="50vh"
        empty={view.summary ? 'No frameworks are registered.' : 'Waiting for the master…'}
      />
      <CompletedFrameworks active={frameworks.length} />
    </section>
  );
}
