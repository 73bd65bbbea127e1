// The page frame: navigation, the connection indicator, and the current page.
import { useMemo, type ReactElement } from 'react';
import { useClusterView, useConnectionState, type ConnectionState } from './api/feed-store.js';
import { useHash } from './hooks.js';
import { parseRoute, type Route } from './lib/route.js';
import { AgentsPage } from './pages/agents.js';
import { FrameworksPage } from './pages/frameworks.js';
import { OffersPage } from './pages/offers.js';
import { OverviewPage } from './pages/overview.js';
import { TaskDetailPage } from './pages/task-detail.js';
import { TasksPage } from './pages/tasks.js';

function connectionText(c: ConnectionState): string {
  switch (c.kind) {
    case 'connecting':
      return 'connecting';
    case 'live':
      return 'live';
    case 'standby':
      return 'standby: no leader yet';
    case 'reconnecting':
      return c.attempt === 0 ? 'reconnecting' : `reconnecting (try ${c.attempt + 1})`;
    case 'redirecting':
      return `moving to ${c.to}`;
  }
}

function Connection(): ReactElement {
  const c = useConnectionState();
  return (
    <span className={`conn ${c.kind}`} data-testid="connection-state" data-state={c.kind} role="status">
      <span className="dot" />
      {connectionText(c)}
    </span>
  );
}

function Page({ route }: { route: Route }): ReactElement {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'agents':
      return <AgentsPage />;
    case 'frameworks':
      return <FrameworksPage />;
    case 'tasks':
      return <TasksPage filter={route.filter} />;
    case 'task':
      return (
        <TaskDetailPage
          key={`${route.frameworkId}/${route.taskId}`}
          taskId={route.taskId}
          frameworkId={route.frameworkId}
        />
      );
    case 'offers':
      return <OffersPage />;
    case 'not-found':
      return (
        <p className="error">
          No page at <span className="mono">{route.path}</span>. <a href="#/">Overview</a>
        </p>
      );
  }
}

const NAV: { page: Route['page']; href: string; label: string }[] = [
  { page: 'overview', href: '#/', label: 'Overview' },
  { page: 'agents', href: '#/agents', label: 'Agents' },
  { page: 'frameworks', href: '#/frameworks', label: 'Frameworks' },
  { page: 'tasks', href: '#/tasks', label: 'Tasks' },
  { page: 'offers', href: '#/offers', label: 'Offers' },
];

export function App(): ReactElement {
  const hash = useHash();
  const route = useMemo(() => parseRoute(hash), [hash]);
  const summary = useClusterView().summary;
  const active = route.page === 'task' ? 'tasks' : route.page;
  return (
    <>
      <header className="top">
        <a className="brand" href="#/">
          Mesocosm
        </a>
        <nav>
          {NAV.map((n) => (
            <a key={n.page} href={n.href} className={n.page === active ? 'active' : ''} data-testid={`nav-${n.page}`}>
              {n.label}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        <span className="leader small">
          leader{' '}
          <span className="mono" data-testid="leader-url">
            {summary?.leader_url ?? ''}
          </span>
        </span>
        <Connection />
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}
