// Agents: resources, attributes, drain state, drain and undrain, their tasks.
import { useMemo, useState, type ReactElement } from 'react';
import { useClusterView } from '../api/feed-store.js';
import { drainAgent, reactivateAgent } from '../api/http.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { UsageBar } from '../components/usage-bar.js';
import { VirtualTable, type Column } from '../components/virtual-table.js';
import { drainState, sortedAgents } from '../lib/feed-state.js';
import { fmtUse, scalarOf } from '../lib/format.js';
import { tasksHash } from '../lib/route.js';
import type { AgentRow, Scalar } from '../lib/types.js';

function DrainControl({ agent }: { agent: AgentRow }): ReactElement {
  const [leaveRunning, setLeaveRunning] = useState(false);
  if (agent.deactivated) {
    return (
      <ConfirmButton
        label="Undrain"
        question={`Offer ${agent.hostname} again?`}
        testId={`undrain-${agent.id}`}
        onConfirm={() => reactivateAgent(agent.id)}
      />
    );
  }
  return (
    <ConfirmButton
      label="Drain"
      danger
      question={`Drain ${agent.hostname}?`}
      testId={`drain-${agent.id}`}
      onConfirm={() => drainAgent(agent.id, leaveRunning)}
    >
      <label className="check">
        <input type="checkbox" checked={leaveRunning} onChange={(e) => setLeaveRunning(e.target.checked)} />
        leave tasks running
      </label>
    </ConfirmButton>
  );
}

function use(name: Scalar) {
  return (a: AgentRow): ReactElement => {
    const used = scalarOf(a.used_resources, name);
    const offered = scalarOf(a.offered_resources, name);
    const total = scalarOf(a.resources, name);
    return (
      <span className="use" data-testid={`agent-${name}-${a.id}`} data-total={total} data-used={used}>
        <span>{fmtUse(name, used, offered, total)}</span>
        <UsageBar used={used} offered={offered} total={total} />
      </span>
    );
  };
}

const COLUMNS: Column<AgentRow>[] = [
  {
    id: 'host',
    header: 'Agent',
    width: 'minmax(10rem, 1.4fr)',
    cell: (a) => (
      <span className="stack">
        <strong>{a.hostname}</strong>
        <span className="mono muted small">{a.id}</span>
      </span>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    width: '7rem',
    cell: (a) => <span className={`status ${a.status}`}>{a.status}</span>,
  },
  { id: 'cpus', header: 'CPUs', width: 'minmax(9rem, 1fr)', cell: use('cpus') },
  { id: 'mem', header: 'Mem', width: 'minmax(11rem, 1.2fr)', cell: use('mem') },
  { id: 'disk', header: 'Disk', width: 'minmax(11rem, 1.2fr)', cell: use('disk') },
  { id: 'gpus', header: 'GPUs', width: 'minmax(6rem, 0.6fr)', cell: use('gpus') },
  {
    id: 'attributes',
    header: 'Attributes',
    width: 'minmax(7rem, 1fr)',
    cell: (a) => (
      <span className="small">
        {Object.entries(a.attributes)
          .map(([k, v]) => `${k}:${v}`)
          .join(', ')}
      </span>
    ),
  },
  {
    id: 'drain',
    header: 'Drain',
    width: '7rem',
    cell: (a) => {
      const st = drainState(a);
      return (
        <span className={`drain ${st.toLowerCase()}`} data-testid={`drain-state-${a.id}`}>
          {st}
        </span>
      );
    },
  },
  {
    id: 'tasks',
    header: 'Tasks',
    width: '5rem',
    cell: (a) => (
      <a href={tasksHash({ agent_id: a.id })} data-testid={`agent-tasks-${a.id}`}>
        {a.task_count} {a.task_count === 1 ? 'task' : 'tasks'}
      </a>
    ),
  },
  { id: 'actions', header: '', width: 'minmax(6rem, 1fr)', cell: (a) => <DrainControl agent={a} /> },
];

export function AgentsPage(): ReactElement {
  const view = useClusterView();
  const [query, setQuery] = useState('');
  const agents = useMemo(() => sortedAgents(view.agents), [view.agents]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return agents;
    return agents.filter(
      (a) =>
        a.hostname.toLowerCase().includes(q) ||
        a.id.toLowerCase().includes(q) ||
        Object.entries(a.attributes).some(([k, v]) => `${k}:${v}`.toLowerCase().includes(q)),
    );
  }, [agents, query]);
  return (
    <section>
      <div className="toolbar">
        <h2>Agents</h2>
        <input
          type="search"
          placeholder="hostname, ID or attribute"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="agents-filter"
        />
        <span className="muted" data-testid="agents-total">
          {shown.length} of {agents.length}
        </span>
        <span className="muted small">resources: used / offered / total</span>
      </div>
      <VirtualTable
        testId="agents-table"
        count={shown.length}
        rowAt={(i) => shown[i]}
        rowKey={(a) => a.id}
        rowTestId={(a) => `agent-row-${a.id}`}
        columns={COLUMNS}
        rowHeight={44}
        empty={view.summary ? 'No agents.' : 'Waiting for the master…'}
      />
    </section>
  );
}
