// The JSON shapes of the operator endpoints the web UI and the CLI read, and
// of the live feed (WebSocket `/api/v1/feed`). Types only: the UI imports this
// file by path, so it must stay free of runtime imports.
import type { AgentJson, DrainInfoJson, FrameworkJson, OfferJson, ResourcesJson, TaskJson } from './state-json.js';

export type { AgentJson, DrainInfoJson, FrameworkJson, OfferJson, ResourcesJson, TaskJson };

/** Totals of one scalar resource over the active agents. */
export interface ResourceTotals {
  total: number;
  used: number;
  offered: number;
}

/** GET /master/state-summary: small, for the overview page and `mesocosm` verbs. */
export interface StateSummary {
  version: string;
  /** This master's ID. */
  id: string;
  hostname: string;
  elected: boolean;
  /** The leader's HTTP base URL (`http://ip:port`), '' when none is known. */
  leader_url: string;
  /** Every master in the election group, as HTTP base URLs (the UI follows these after a failover). */
  masters: string[];
  start_time: number;
  elected_time: number;
  uptime_secs: number;
  cluster: { cpus: ResourceTotals; mem: ResourceTotals; disk: ResourceTotals; gpus: ResourceTotals };
  agents: { active: number; deactivated: number; draining: number; unreachable: number };
  frameworks: { active: number; inactive: number; completed: number };
  /** Task counts by state name (`TASK_RUNNING`, ...), current tasks plus the completed ones still kept. */
  tasks: Record<string, number>;
  offers: number;
}

/** An agent row: `AgentJson` without the task list, plus counts. */
export interface AgentRow extends AgentJson {
  task_count: number;
}

/** A framework row: `FrameworkJson` without its task and offer arrays, plus counts. */
export type FrameworkRow = Omit<FrameworkJson, 'tasks' | 'completed_tasks' | 'unreachable_tasks' | 'offers'> & {
  task_counts: Record<string, number>;
  offer_count: number;
};

/** GET /master/slaves (also /master/agents). */
export interface AgentsPage {
  slaves: AgentRow[];
}

/** GET /master/frameworks. */
export interface FrameworksPage {
  frameworks: FrameworkRow[];
  completed_frameworks: FrameworkRow[];
}

/** A task row: `TaskJson` plus where to read its sandbox. */
export interface TaskRow extends TaskJson {
  framework_name: string;
  agent_hostname: string;
  /**
   * The task's sandbox directory relative to the agent's sandboxes root:
   * `<framework_id>/tasks/<task_id>` (command and Docker tasks) or
   * `<framework_id>/executors/<executor_id>` (custom executors). It holds one
   * `run-<n>` directory per run; the highest is the latest. Pass paths below
   * it to `GET /master/agents/{agent_id}/files/{browse,read,download}?path=`,
   * which the master proxies to the agent's `/files/*`.
   */
  sandbox: string;
  /** Health from the latest status that carried it. */
  healthy?: boolean;
}

/**
 * GET /master/tasks?framework_id=&agent_id=&state=&name=&offset=0&limit=100&order=asc|desc
 * `state` may repeat or be comma-separated; `name` is a substring match on
 * task name or ID. `total` is the count after filtering, before paging.
 */
export interface TasksPage {
  tasks: TaskRow[];
  total: number;
  offset: number;
  limit: number;
}

/** GET /master/offers. */
export interface OffersPage {
  offers: (OfferJson & { agent_hostname: string; framework_name: string; age_secs: number })[];
}

/** One point of the allocation chart: fractions 0..1 (used / total) of the cluster's total. */
export interface AllocationSample {
  /** Seconds since the epoch (as `start_time`). */
  time: number;
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
}

/**
 * Messages the master sends on the WebSocket `/api/v1/feed`.
 * On connect to the leader: one `SNAPSHOT`, then deltas batched at most
 * every 250 ms (`OFFERS`, the whole list, at most every second), and a
 * `SAMPLE` every second. `FRAMEWORKS.removed` names torn-down frameworks
 * (then in /master/frameworks' `completed_frameworks`); `AGENTS.removed`
 * agents removed for good. A client too slow to take the deltas gets a
 * fresh `SNAPSHOT` once it has caught up (docs/operators.md). A standby sends `LEADER` (with
 * the leader's URL, '' while none) and keeps the socket open, sending `LEADER`
 * again when it changes; the UI navigates to the leader.
 * Tasks are not in the snapshot (10,000 of them would be large): pages fetch
 * /master/tasks and apply `TASKS` deltas to what they show.
 * With view ACLs each connection gets only the frameworks, tasks and offers
 * its principal may see (as /master/state; a delta about hidden ones only is
 * not sent); `SUMMARY`, `SAMPLE` and `AGENTS` are not filtered (docs/security.md).
 */
export type FeedMessage =
  | {
      type: 'SNAPSHOT';
      summary: StateSummary;
      agents: AgentRow[];
      frameworks: FrameworkRow[];
      offers: OffersPage['offers'];
      /** The last few minutes of allocation samples, oldest first. */
      samples: AllocationSample[];
    }
  | { type: 'LEADER'; leader_url: string; masters: string[] }
  | { type: 'SUMMARY'; summary: StateSummary }
  | { type: 'AGENTS'; upserted: AgentRow[]; removed: string[] }
  | { type: 'FRAMEWORKS'; upserted: FrameworkRow[]; removed: string[] }
  | { type: 'OFFERS'; offers: OffersPage['offers'] }
  /** Tasks whose state or statuses changed since the last batch (latest row each). */
  | { type: 'TASKS'; upserted: TaskRow[] }
  | { type: 'SAMPLE'; sample: AllocationSample };

/** One agent under maintenance in GET /master/maintenance. */
export interface MaintenanceAgent {
  id: string;
  hostname: string;
  /** `connected`, `disconnected`, `unreachable`, or `recovered` (known from the registry, not re-registered yet). */
  status: string;
  /** No offers for it (DEACTIVATE_AGENT, or draining/drained). */
  deactivated: boolean;
  /** Set while draining or drained. */
  drain_info?: DrainInfoJson;
}

/**
 * GET /master/maintenance: the agents that are deactivated, draining or
 * drained (changes go through POST /api/v1 DRAIN_AGENT, DEACTIVATE_AGENT,
 * REACTIVATE_AGENT).
 */
export interface MaintenancePage {
  agents: MaintenanceAgent[];
}
