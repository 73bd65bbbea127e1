// Requests to the master this page came from (same origin).
import type { BrowseEntry, ReadChunk, TasksPage } from '../lib/types.js';
import { tasksQuery, type TaskFilter } from '../lib/task-filter.js';

/** A failed request, with the master's own error message when it sent one. */
export class RequestError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

async function errorOf(url: string, res: Response): Promise<RequestError> {
  let detail = res.statusText;
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') detail = body.error;
    else if (typeof body.message === 'string') detail = body.message;
  } catch {
    // not JSON: keep the status text
  }
  return new RequestError(url, res.status, `${res.status} ${detail}`.trim());
}

/** GET a JSON document. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal: signal ?? null, headers: { accept: 'application/json' } });
  if (!res.ok) throw await errorOf(url, res);
  return (await res.json()) as T;
}

/** POST one operator call to /api/v1 (`{"type": "DRAIN_AGENT", ...}`). */
export async function operatorCall(call: { type: string } & Record<string, unknown>): Promise<void> {
  const url = '/api/v1';
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(call),
  });
  if (!res.ok) throw await errorOf(url, res);
}

/** Drains an agent: no more offers for it; its tasks are killed unless `leaveTasksRunning`. */
export function drainAgent(agentId: string, leaveTasksRunning = false): Promise<void> {
  return operatorCall({
    type: 'DRAIN_AGENT',
    drain_agent: { agent_id: { value: agentId }, leave_tasks_running: leaveTasksRunning },
  });
}

/** Ends an agent's drain or deactivation: it is offered again. */
export function reactivateAgent(agentId: string): Promise<void> {
  return operatorCall({ type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: agentId } } });
}

/** Tears a framework down: its tasks are killed and it is removed. */
export function teardownFramework(frameworkId: string): Promise<void> {
  return operatorCall({ type: 'TEARDOWN', teardown: { framework_id: { value: frameworkId } } });
}

/** One page of the filtered task list. */
export function fetchTasks(
  filter: TaskFilter,
  offset: number,
  limit: number,
  signal?: AbortSignal,
): Promise<TasksPage> {
  return getJson<TasksPage>(tasksQuery(filter, offset, limit), signal);
}

function filesUrl(agentId: string, verb: 'browse' | 'read' | 'download', params: Record<string, string>): string {
  return `/master/agents/${encodeURIComponent(agentId)}/files/${verb}?${new URLSearchParams(params).toString()}`;
}

/** The entries of a sandbox directory, through the master's proxy to the agent. */
export function browseFiles(agentId: string, path: string, signal?: AbortSignal): Promise<BrowseEntry[]> {
  return getJson<BrowseEntry[]>(filesUrl(agentId, 'browse', { path }), signal);
}

/** A chunk of a sandbox file; offset -1 returns the file's size as offset and no data. */
export function readFile(
  agentId: string,
  path: string,
  offset: number,
  length: number,
  signal?: AbortSignal,
): Promise<ReadChunk> {
  return getJson<ReadChunk>(
    filesUrl(agentId, 'read', { path, offset: String(offset), length: String(length) }),
    signal,
  );
}

/** The link that downloads a sandbox file. */
export function downloadUrl(agentId: string, path: string): string {
  return filesUrl(agentId, 'download', { path });
}
