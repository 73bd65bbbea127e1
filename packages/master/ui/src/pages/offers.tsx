// Offers: every outstanding offer with its agent, framework, resources and age.
import { useMemo, type ReactElement } from 'react';
import { useClusterView } from '../api/feed-store.js';
import { VirtualTable, type Column } from '../components/virtual-table.js';
import { useNow } from '../hooks.js';
import { fmtDuration, fmtResources } from '../lib/format.js';
import type { OfferRow } from '../lib/types.js';

/** An offer's age, ticking: its age when the master sent it plus the time since. */
function Age(props: { ageSecs: number; receivedAt: number; testId: string }): ReactElement {
  const now = useNow(1000);
  return (
    <span data-testid={props.testId}>{fmtDuration(props.ageSecs + Math.max(0, (now - props.receivedAt) / 1000))}</span>
  );
}

export function OffersPage(): ReactElement {
  const view = useClusterView();
  const receivedAt = useMemo(() => Date.now(), [view.offers]);
  const offers = useMemo(() => view.offers.slice().sort((a, b) => a.created_at - b.created_at), [view.offers]);
  const columns = useMemo<Column<OfferRow>[]>(
    () => [
      {
        id: 'id',
        header: 'Offer',
        width: 'minmax(10rem, 1.3fr)',
        cell: (o) => (
          <span className="mono small" title={o.id}>
            {o.id}
          </span>
        ),
      },
      {
        id: 'agent',
        header: 'Agent',
        width: 'minmax(8rem, 1fr)',
        cell: (o) => (
          <span className="stack">
            <span>{o.agent_hostname}</span>
            <span className="mono muted small">{o.agent_id}</span>
          </span>
        ),
      },
      {
        id: 'framework',
        header: 'Framework',
        width: 'minmax(8rem, 1fr)',
        cell: (o) => (
          <span className="stack">
            <span>{o.framework_name}</span>
            <span className="mono muted small">{o.framework_id}</span>
          </span>
        ),
      },
      { id: 'role', header: 'Role', width: '6rem', cell: (o) => o.allocation_role },
      {
        id: 'resources',
        header: 'Resources',
        width: 'minmax(10rem, 2fr)',
        cell: (o) => <span className="small">{fmtResources(o.resources)}</span>,
      },
      {
        id: 'age',
        header: 'Age',
        width: '6rem',
        cell: (o) => <Age ageSecs={o.age_secs} receivedAt={receivedAt} testId={`offer-age-${o.id}`} />,
      },
    ],
    [receivedAt],
  );
  return (
    <section>
      <div className="toolbar">
        <h2>Offers</h2>
        <span className="muted" data-testid="offers-total">
          {offers.length} outstanding
        </span>
      </div>
      <VirtualTable
        testId="offers-table"
        count={offers.length}
        rowAt={(i) => offers[i]}
        rowKey={(o) => o.id}
        rowTestId={(o) => `offer-row-${o.id}`}
        columns={columns}
        rowHeight={44}
        empty={view.summary ? 'No outstanding offers.' : 'Waiting for the master…'}
      />
    </section>
  );
}
