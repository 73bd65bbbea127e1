// One task: its state, resources, health, status history, and its sandbox
// (browse, and a live tail of stdout and stderr).
import { useEffect, useState, type ReactElement } from 'react';
import { feedStore, useClusterView } from '../api/feed-store.js';
import { browseFiles, getJson } from '../api/http.js';
import { LogTail } from '../components/log-tail.js';
import { SandboxBrowser } from '../components/sandbox-browser.js';
import { fmtResources, fmtTime, shortState } from '../lib/format.js';
import { tasksHash } from '../lib/route.js';
import { joinPath, latestRun } from '../lib/sandbox.js';
import { tasksQuery, EMPTY_FILTER, taskKey } from '../lib/task-filter.js';
import type { TaskRow, TasksPage } from '../lib/types.js';

function useTask(taskId: string, frameworkId: string): { task: TaskRow | undefined; error: string; loaded: boolean } {
  const [task, setTask] = useState<TaskRow | undefined>();
  const [error, setError] = useState('');
  const [loaded, setLoaded] = useState(false);
  const snapshots = useClusterView().snapshots;
  useEffect(() => {
    const abort = new AbortController();
    const url = tasksQuery({ ...EMPTY_FILTER, name: taskId, framework_id: frameworkId }, 0, 1000);
    getJson<TasksPage>(url, abort.signal).then(
      (page) => {
        const found = page.tasks.filter((t) => t.id === taskId);
        setTask((before) => found.find((t) => before && taskKey(t) === taskKey(before)) ?? found[0] ?? before);
        setError('');
        setLoaded(true);
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        setError(err instanceof Error ? err.message : String(err));
        setLoaded(true);
      },
    );
    const unsubscribe = feedStore.subscribeTasks((upserted) => {
      for (const t of upserted) {
        if (t.id !== taskId || (frameworkId && t.framework_id !== frameworkId)) continue;
        setTask((before) => (!before || taskKey(before) === taskKey(t) ? t : before));
      }
    });
    return () => {
      abort.abort();
      unsubscribe();
    };
  }, [taskId, frameworkId, snapshots]);
  return { task, error, loaded };
}

/** The task's newest run directory (or its sandbox when it has none yet); retried as the task moves on. */
function useRunDir(task: TaskRow): { dir: string | undefined; error: string } {
  const [dir, setDir] = useState<string | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    if (!task.sandbox) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = (): void => {
      browseFiles(task.agent_id, task.sandbox, abort.signal).then(
        (entries) => {
          const run = latestRun(entries);
          setDir(run ?? task.sandbox);
          setError('');
          // Not started yet: no run directory, look again shortly.
          if (run === undefined) timer = setTimeout(attempt, 2000);
        },
        (err: unknown) => {
          if (abort.signal.aborted) return;
          setError(err instanceof Error ? err.message : String(err));
          timer = setTimeout(attempt, 2000);
        },
      );
    };
    attempt();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [task.agent_id, task.sandbox, task.state]);
  return { dir, error };
}

function Sandbox({ task }: { task: TaskRow }): ReactElement {
  const { dir, error } = useRunDir(task);
  const [viewing, setViewing] = useState<string | undefined>();
  if (!task.sandbox) return <p className="muted">The master does not know this task's sandbox.</p>;
  return (
    <>
      <section className="panel span">
        <h2>Logs</h2>
        {dir === undefined ? (
          <p className="muted" data-testid="sandbox-pending">
            {error ? `The sandbox is not readable yet: ${error}` : 'Finding the sandbox…'}
          </p>
        ) : (
          <div className="logs">
            <LogTail agentId={task.agent_id} path={joinPath(dir, 'stdout')} testId="stdout-view" title="stdout" />
            <LogTail agentId={task.agent_id} path={joinPath(dir, 'stderr')} testId="stderr-view" title="stderr" />
          </div>
        )}
      </section>
      <section className="panel span">
        <h2>Sandbox</h2>
        {dir === undefined ? null : (
          <SandboxBrowser agentId={task.agent_id} root={task.sandbox} start={dir} onView={setViewing} />
        )}
        {viewing ? (
          <LogTail
            agentId={task.agent_id}
            path={viewing}
            testId="file-view"
            title={viewing}
            onClose={() => setViewing(undefined)}
          />
        ) : null}
      </section>
    </>
  );
}

export function TaskDetailPage({ taskId, frameworkId }: { taskId: string; frameworkId: string }): ReactElement {
  const { task, error, loaded } = useTask(taskId, frameworkId);
  const view = useClusterView();
  if (!task) {
    return (
      <section>
        <h2>
          Task <span className="mono">{taskId}</span>
        </h2>
        <p className={error ? 'error' : 'muted'} data-testid="task-missing">
          {error ||
            (loaded ? 'The master does not know this task (yet): this page updates when it appears.' : 'Loading…')}
        </p>
      </section>
    );
  }
  const framework = view.frameworks.get(task.framework_id);
  const statuses = task.statuses.slice().reverse();
  return (
    <div className="overview" data-testid="task-detail">
      <section className="panel">
        <h2>
          Task <span className="mono">{task.id}</span>
        </h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{task.name}</dd>
          <dt>State</dt>
          <dd>
            <span className={`state ${shortState(task.state)}`} data-testid="task-detail-state">
              {task.state}
            </span>
          </dd>
          <dt>Health</dt>
          <dd data-testid="task-detail-health">
            {task.healthy === undefined ? 'no health check' : task.healthy ? 'healthy' : 'unhealthy'}
          </dd>
          <dt>Framework</dt>
          <dd>
            <a href={tasksHash({ framework_id: task.framework_id })}>{framework?.name ?? task.framework_name}</a>{' '}
            <span className="mono muted small">{task.framework_id}</span>
          </dd>
          <dt>Agent</dt>
          <dd>
            <a href={tasksHash({ agent_id: task.agent_id })}>{task.agent_hostname || task.agent_id}</a>{' '}
            <span className="mono muted small">{task.agent_id}</span>
          </dd>
          <dt>Executor</dt>
          <dd className="mono small">{task.executor_id || '(command executor)'}</dd>
          <dt>Role</dt>
          <dd>{task.role}</dd>
          <dt>Resources</dt>
          <dd data-testid="task-detail-resources">{fmtResources(task.resources)}</dd>
          <dt>Sandbox</dt>
          <dd className="mono small">{task.sandbox}</dd>
        </dl>
      </section>
      <section className="panel">
        <h2>Status history</h2>
        <table className="plain" data-testid="status-history">
          <thead>
            <tr>
              <th>Time</th>
              <th>State</th>
              <th>Reason</th>
              <th>Message</th>
              <th>Healthy</th>
            </tr>
          </thead>
          <tbody>
            {statuses.map((s, i) => (
              <tr key={`${s.uuid ?? ''}-${i}`}>
                <td className="small nowrap">{fmtTime(s.timestamp)}</td>
                <td>{shortState(s.state)}</td>
                <td className="small">{s.reason}</td>
                <td className="small">{s.message}</td>
                <td>{s.healthy === undefined ? '' : s.healthy ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Sandbox task={task} />
    </div>
  );
}
