// Overview: the leader, cluster totals and use, counts, and the allocation chart.
import { useMemo, type ReactElement } from 'react';
import { useClusterView } from '../api/feed-store.js';
import { AllocationChart } from '../components/allocation-chart.js';
import { UsageBar } from '../components/usage-bar.js';
import { useNow } from '../hooks.js';
import { fmtDuration, fmtPercent, fmtScalar, fmtTime, shortState } from '../lib/format.js';
import { tasksHash } from '../lib/route.js';
import { TASK_STATES } from '../lib/task-filter.js';
import { SCALARS } from '../lib/types.js';

function Count(props: { label: string; value: number; testId: string; href?: string }): ReactElement {
  const body = (
    <>
      <span className="count-value" data-testid={props.testId} data-value={props.value}>
        {props.value}
      </span>
      <span className="count-label">{props.label}</span>
    </>
  );
  return props.href ? (
    <a className="count" href={props.href}>
      {body}
    </a>
  ) : (
    <div className="count">{body}</div>
  );
}

export function OverviewPage(): ReactElement {
  const view = useClusterView();
  const s = view.summary;
  const now = useNow(1000);
  const seenAt = useMemo(() => Date.now(), [s]);
  if (!s) return <p className="muted">Waiting for the master's first snapshot…</p>;
  const uptime = s.uptime_secs + Math.max(0, (now - seenAt) / 1000);
  const taskStates = [
    ...TASK_STATES.filter((st) => (s.tasks[st] ?? 0) > 0),
    ...Object.keys(s.tasks).filter((st) => !(TASK_STATES as readonly string[]).includes(st)),
  ];
  return (
    <div className="overview">
      <section className="panel">
        <h2>Master</h2>
        <dl className="facts">
          <dt>Leader</dt>
          <dd>{s.leader_url ? <a href={s.leader_url}>{s.leader_url}</a> : 'none elected'}</dd>
          <dt>This master</dt>
          <dd>
            <span data-testid="master-id">{s.id}</span> on {s.hostname} ({s.elected ? 'leading' : 'standby'})
          </dd>
          <dt>Version</dt>
          <dd data-testid="master-version">{s.version}</dd>
          <dt>Started</dt>
          <dd>{fmtTime(s.start_time)}</dd>
          <dt>Uptime</dt>
          <dd data-testid="master-uptime">{fmtDuration(uptime)}</dd>
          <dt>Elected</dt>
          <dd>{fmtTime(s.elected_time)}</dd>
          <dt>Masters</dt>
          <dd>{s.masters.length > 0 ? s.masters.join(', ') : '(standalone)'}</dd>
        </dl>
      </section>

      <section className="panel">
        <h2>Resources</h2>
        <table className="resources">
          <thead>
            <tr>
              <th />
              <th>Used</th>
              <th>Offered</th>
              <th>Total</th>
              <th className="wide">Use</th>
            </tr>
          </thead>
          <tbody>
            {SCALARS.map((name) => {
              const r = s.cluster[name];
              return (
                <tr key={name}>
                  <th>{name}</th>
                  <td data-testid={`used-${name}`} data-value={r.used}>
                    {fmtScalar(name, r.used)}
                  </td>
                  <td data-testid={`offered-${name}`} data-value={r.offered}>
                    {fmtScalar(name, r.offered)}
                  </td>
                  <td data-testid={`total-${name}`} data-value={r.total}>
                    {fmtScalar(name, r.total)}
                  </td>
                  <td className="wide">
                    <UsageBar used={r.used} offered={r.offered} total={r.total} testId={`bar-${name}`} />
                    <span className="muted">{r.total > 0 ? fmtPercent(r.used / r.total) : '–'} used</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="panel">
        <h2>Agents</h2>
        <div className="counts">
          <Count label="active" value={s.agents.active} testId="count-agents-active" href="#/agents" />
          <Count label="deactivated" value={s.agents.deactivated} testId="count-agents-deactivated" />
          <Count label="draining" value={s.agents.draining} testId="count-agents-draining" />
          <Count label="unreachable" value={s.agents.unreachable} testId="count-agents-unreachable" />
        </div>
        <h2>Frameworks</h2>
        <div className="counts">
          <Count label="active" value={s.frameworks.active} testId="count-frameworks-active" href="#/frameworks" />
          <Count label="inactive" value={s.frameworks.inactive} testId="count-frameworks-inactive" />
          <Count label="completed" value={s.frameworks.completed} testId="count-frameworks-completed" />
          <Count label="offers" value={s.offers} testId="count-offers" href="#/offers" />
        </div>
        <h2>Tasks</h2>
        <div className="counts">
          {taskStates.length === 0 ? <span className="muted">no tasks</span> : null}
          {taskStates.map((st) => (
            <Count
              key={st}
              label={shortState(st)}
              value={s.tasks[st] ?? 0}
              testId={`count-tasks-${st}`}
              href={tasksHash({ state: [st] })}
            />
          ))}
        </div>
      </section>

      <section className="panel span">
        <h2>Allocation</h2>
        <AllocationChart samples={view.samples} />
      </section>
    </div>
  );
}
