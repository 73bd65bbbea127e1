// Reading tasks out of the master's and agents' state endpoints, tolerant of
// where a task sits (active or completed, per framework or flat) as in Mesos'
// state JSON.
import { fetchJson } from '@mesocosm/testing';

/** A task as the tests look at it. */
export interface TaskView {
  taskId: string;
  state: string;
  agentId: string;
  frameworkId: string;
  /** Sandbox directory (agent state only). */
  directory: string;
}

type Json = Record<string, unknown>;

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Json)['value'] === 'string') return (v as Json)['value'] as string;
  return '';
}

function toView(t: Json, frameworkId = ''): TaskView {
  return {
    taskId: str(t['id'] ?? t['task_id'] ?? t['taskId']),
    state: str(t['state']),
    agentId: str(t['agent_id'] ?? t['slave_id'] ?? t['agentId']),
    frameworkId: str(t['framework_id'] ?? t['frameworkId']) || frameworkId,
    directory: str(t['directory'] ?? t['sandbox']),
  };
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

/** Every task in a state document: top level, per framework, active and completed. */
export function tasksIn(state: Json): TaskView[] {
  const views = new Map<string, TaskView>();
  const add = (t: Json, fw?: string): void => {
    const v = toView(t, fw);
    if (v.taskId) views.set(`${v.frameworkId}/${v.taskId}`, v);
  };
  for (const key of ['completed_tasks', 'tasks']) for (const t of list(state[key])) add(t);
  for (const fkey of ['completed_frameworks', 'frameworks']) {
    for (const fw of list(state[fkey])) {
      const id = str(fw['id'] ?? fw['framework_id']);
      for (const key of ['completed_tasks', 'tasks']) for (const t of list(fw[key])) add(t, id);
      for (const ex of [...list(fw['executors']), ...list(fw['completed_executors'])]) {
        for (const key of ['completed_tasks', 'tasks']) {
          for (const t of list(ex[key])) add({ directory: ex['directory'], ...t }, id);
        }
      }
    }
  }
  return [...views.values()];
}

/** The tasks in the master's `/master/state`. */
export async function masterTasks(masterHttp: string): Promise<TaskView[]> {
  return tasksIn(await fetchJson<Json>(`${masterHttp}/master/state`));
}

/** The tasks in an agent's `/state` (with their sandbox directories). */
export async function agentTasks(agentHttp: string): Promise<TaskView[]> {
  return tasksIn(await fetchJson<Json>(`${agentHttp}/state`));
}

/** A whole sandbox file through the agent's `/files/download`, falling back to `/files/read`. */
export async function readSandboxFile(agentHttp: string, path: string): Promise<string> {
  const res = await fetch(`${agentHttp}/files/download?path=${encodeURIComponent(path)}`);
  if (res.ok) return res.text();
  const read = await fetchJson<{ data: string }>(`${agentHttp}/files/read?path=${encodeURIComponent(path)}&offset=0`);
  return read.data;
}
