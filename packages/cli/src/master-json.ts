// The JSON the operator verbs read from the master: the pages of
// packages/master/src/views/feed-types.ts (the contract), built on the state
// types the master exports. Types only.
import type { AgentJson, DrainInfoJson, FrameworkJson, ResourcesJson, TaskJson } from '@mesocosm/master';

export type { AgentJson, DrainInfoJson, FrameworkJson, ResourcesJson, TaskJson };

/** GET /master/slaves: one row per agent. */
export interface AgentRow extends AgentJson {
  task_count: number;
}

/** GET /master/slaves. */
export interface AgentsPage {
  slaves: AgentRow[];
}

/** GET /master/frameworks: one row per framework. */
export type FrameworkRow = Omit<FrameworkJson, 'tasks' | 'completed_tasks' | 'unreachable_tasks' | 'offers'> & {
  task_counts: Record<string, number>;
  offer_count: number;
};

/** GET /master/frameworks. */
export interface FrameworksPage {
  frameworks: FrameworkRow[];
  completed_frameworks: FrameworkRow[];
}

/** GET /master/tasks: one row per task, with where its sandbox is. */
export interface TaskRow extends TaskJson {
  framework_name: string;
  agent_hostname: string;
  /** `<framework_id>/tasks/<task_id>` (or `.../executors/<id>`), holding `run-<n>` directories. */
  sandbox: string;
  healthy?: boolean;
}

/** GET /master/tasks?framework_id=&agent_id=&state=&name=&offset=&limit=&order= */
export interface TasksPage {
  tasks: TaskRow[];
  /** Matching tasks before paging. */
  total: number;
  offset: number;
  limit: number;
}

/** One entry of GET /master/agents/{id}/files/browse?path= (the agent's /files/browse). */
export interface FileEntry {
  path: string;
  size: number;
  mtime: number;
  /** `drwxr-xr-x` style. */
  mode: string;
}

/** GET /master/agents/{id}/files/read?path=&offset=&length= (the agent's /files/read). */
export interface FileChunk {
  data: string;
  offset: number;
}
