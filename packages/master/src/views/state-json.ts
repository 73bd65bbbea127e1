// GET /master/state: JSON in the spirit of Mesos' /master/state.
import {
  attributesToRecord,
  reasonName,
  Resources,
  taskStateName,
  uuidToString,
  type IMasterInfo,
  type IResource,
  type ITaskStatus,
} from '@mesocosm/protocol';
import { SEE_ALL, type Viewer } from '../auth/viewer.js';
import { agentUrl } from '../core/offer-lifecycle.js';
import { sumJson, usedJson } from './resource-sums.js';
import type { OutstandingOffer } from '../offers/index.js';
import type { AgentRecord, FrameworkRecord, MasterContext, TaskRecord } from '../core/types.js';

/** Resources as Mesos' state JSON shows them: scalars by name, ranges and sets as text. */
export type ResourcesJson = Record<string, number | string>;

/** One status in a task's history. */
export interface TaskStatusJson {
  state: string;
  timestamp: number;
  source: number;
  reason: string;
  message: string;
  uuid?: string;
  healthy?: boolean;
}

/** A task in /master/state. */
export interface TaskJson {
  id: string;
  name: string;
  framework_id: string;
  executor_id: string;
  slave_id: string;
  agent_id: string;
  state: string;
  role: string;
  resources: ResourcesJson;
  statuses: TaskStatusJson[];
}

/** Mesos' DrainInfo as /master/state shows it. */
export interface DrainInfoJson {
  state: 'DRAINING' | 'DRAINED';
  config: { max_grace_period?: { nanoseconds: number }; mark_gone: boolean; leave_tasks_running: boolean };
}

/** An agent from the registry that a new leader still waits for. */
export interface RecoveredAgentJson {
  id: string;
  hostname: string;
  port: number;
  resources: ResourcesJson;
  deactivated: boolean;
  drain_info?: DrainInfoJson;
}

/** An agent in /master/state. */
export interface AgentJson {
  id: string;
  hostname: string;
  port: number;
  url: string;
  pid: string;
  resources: ResourcesJson;
  used_resources: ResourcesJson;
  offered_resources: ResourcesJson;
  unreserved_resources: ResourcesJson;
  attributes: Record<string, string>;
  active: boolean;
  status: 'connected' | 'disconnected' | 'unreachable';
  registered_time: number;
  reregistered_time?: number;
  /** No offers for it (DEACTIVATE_AGENT, or draining/drained). */
  deactivated: boolean;
  /** Set while draining or drained. */
  drain_info?: DrainInfoJson;
}

/** A decline reason kept for "why is this not placed". */
export interface DeclineReasonJson {
  reason: string;
  detail: string;
  count: number;
}

/** A framework in /master/state. */
export interface FrameworkJson {
  id: string;
  name: string;
  user: string;
  hostname: string;
  principal: string;
  webui_url: string;
  role: string;
  roles: string[];
  capabilities: number[];
  failover_timeout: number;
  active: boolean;
  connected: boolean;
  registered_time: number;
  reregistered_time?: number;
  unregistered_time?: number;
  used_resources: ResourcesJson;
  offered_resources: ResourcesJson;
  dominant_share: number;
  decline_reasons: DeclineReasonJson[];
  decline_reasons_time?: number;
  tasks: TaskJson[];
  completed_tasks: TaskJson[];
  unreachable_tasks: TaskJson[];
  offers: OfferJson[];
}

/** An outstanding offer in /master/state. */
export interface OfferJson {
  id: string;
  framework_id: string;
  slave_id: string;
  agent_id: string;
  allocation_role: string;
  resources: ResourcesJson;
  created_at: number;
}

/** What GET /master/state returns, and {@link Master.state}. */
export interface MasterState {
  version: string;
  id: string;
  hostname: string;
  /** Whether this master leads (false on a standby; always true standalone). */
  elected: boolean;
  /** The leader's libprocess-style PID (`master@ip:port`), '' when none is known. */
  leader: string;
  /** The leader's MasterInfo (empty strings and zeros when none is known). */
  leader_info: {
    id: string;
    hostname: string;
    ip: string;
    port: number;
    grpc_port: number;
    version: string;
    epoch: number;
  };
  start_time: number;
  elected_time: number;
  activated_slaves: number;
  deactivated_slaves: number;
  unreachable_slaves: number;
  slaves: AgentJson[];
  /** After an election: agents from the registry that have not re-registered yet. */
  recovered_slaves: RecoveredAgentJson[];
  /** True from the election until the registry is loaded. */
  recovering: boolean;
  frameworks: FrameworkJson[];
  completed_frameworks: FrameworkJson[];
  offers: OfferJson[];
}

const secs = (ms: number): number => ms / 1000;

/** One status as the state JSON shows it. */
export function statusJson(s: ITaskStatus): TaskStatusJson {
  const uuid = uuidToString(s.uuid);
  return {
    state: taskStateName(s.state),
    timestamp: s.timestamp ?? 0,
    source: s.source ?? 0,
    reason: reasonName(s.reason),
    message: s.message ?? '',
    ...(uuid ? { uuid } : {}),
    ...(s.hasHealthy ? { healthy: s.healthy ?? false } : {}),
  };
}

/** A task as the state JSON shows it. */
export function taskJson(t: TaskRecord): TaskJson {
  return {
    id: t.taskId,
    name: t.info.name ?? '',
    framework_id: t.frameworkId,
    executor_id: t.info.executor?.executorId?.value ?? '',
    slave_id: t.agentId,
    agent_id: t.agentId,
    state: taskStateName(t.state),
    role: t.role,
    resources: t.resources.toJSON(),
    statuses: t.statuses.map(statusJson),
  };
}

/** An offer as the state JSON shows it. */
export function offerJson(o: OutstandingOffer): OfferJson {
  return {
    id: o.offerId,
    framework_id: o.frameworkId,
    slave_id: o.agentId,
    agent_id: o.agentId,
    allocation_role: o.role,
    resources: o.resources.toJSON(),
    created_at: secs(o.createdAt),
  };
}

/** Resources used by live tasks (per agent or per framework). */
export function usedBy(tasks: Iterable<TaskRecord>): Resources {
  let sum = Resources.EMPTY;
  for (const t of tasks) sum = sum.add(t.resources);
  return sum;
}

/** Resources held by `offers`. */
export function offered(offers: Iterable<OutstandingOffer>): Resources {
  let sum = Resources.EMPTY;
  for (const o of offers) sum = sum.add(o.resources);
  return sum;
}

/** Resources held by outstanding offers matching `pred`. */
export function offeredWhere(
  ctx: MasterContext,
  pred: (o: { frameworkId: string; agentId: string }) => boolean,
): Resources {
  let sum = Resources.EMPTY;
  for (const o of ctx.offers.all()) if (pred(o)) sum = sum.add(o.resources);
  return sum;
}

/** The maintenance fields of an agent. */
export function maintenanceJson(
  ctx: MasterContext,
  agentId: string,
): { deactivated: boolean; drain_info?: DrainInfoJson } {
  const record = ctx.maintenance.get(agentId);
  const drain = record?.drain;
  if (!drain) return { deactivated: record?.deactivated === true };
  const grace = drain.config.maxGracePeriodMs;
  return {
    deactivated: true,
    drain_info: {
      state: drain.state,
      config: {
        ...(grace === undefined ? {} : { max_grace_period: { nanoseconds: Math.round(grace * 1e6) } }),
        mark_gone: drain.config.markGone,
        leave_tasks_running: drain.config.leaveTasksRunning,
      },
    },
  };
}

const unreserved = new WeakMap<Resources, ResourcesJson>();

/** The unreserved part of an agent's (immutable) total, cached. */
function unreservedJson(total: Resources): ResourcesJson {
  let json = unreserved.get(total);
  if (!json) {
    json = total.reservedFor('*').toJSON();
    unreserved.set(total, json);
  }
  return json;
}

/** An agent as the state JSON shows it. */
export function agentJson(ctx: MasterContext, a: AgentRecord): AgentJson {
  return {
    id: a.id,
    hostname: a.info.hostname ?? '',
    port: a.info.port ?? 0,
    url: agentUrl(a),
    pid: `slave(1)@${a.info.ip || a.info.hostname || ''}:${a.info.port ?? 0}`,
    resources: a.total.toJSON(),
    used_resources: usedJson(a.tasks),
    offered_resources: sumJson(ctx.offers.byAgent(a.id).map((o) => o.resources)),
    unreserved_resources: unreservedJson(a.total),
    attributes: attributesToRecord(a.info.attributes),
    active: a.status === 'connected',
    status: a.status,
    registered_time: secs(a.registeredTime),
    ...(a.reregisteredTime === undefined ? {} : { reregistered_time: secs(a.reregisteredTime) }),
    ...maintenanceJson(ctx, a.id),
  };
}

/** A framework's fields in the state JSON, without its task and offer lists. */
export function frameworkFields(
  ctx: MasterContext,
  f: FrameworkRecord,
): Omit<FrameworkJson, 'tasks' | 'completed_tasks' | 'unreachable_tasks' | 'offers'> {
  return {
    id: f.id,
    name: f.info.name ?? '',
    user: f.info.user ?? '',
    hostname: f.info.hostname ?? '',
    principal: f.info.principal ?? '',
    webui_url: f.info.webuiUrl ?? '',
    role: f.roles[0] ?? '*',
    roles: f.roles,
    capabilities: f.info.capabilities ?? [],
    failover_timeout: f.info.failoverTimeout ?? 0,
    active: f.active,
    connected: f.conn !== undefined,
    registered_time: secs(f.registeredTime),
    ...(f.reregisteredTime === undefined ? {} : { reregistered_time: secs(f.reregisteredTime) }),
    ...(f.unregisteredTime === undefined ? {} : { unregistered_time: secs(f.unregisteredTime) }),
    used_resources: usedJson(f.tasks.values()),
    offered_resources: sumJson(ctx.offers.byFramework(f.id).map((o) => o.resources)),
    dominant_share: f.inAllocator ? ctx.allocator.dominantShare(f.id) : 0,
    decline_reasons: f.declineReasons.map((r) => ({
      reason: r.reason ?? '',
      detail: r.detail ?? '',
      count: r.count ?? 0,
    })),
    ...(f.declineReasonsTime === undefined ? {} : { decline_reasons_time: secs(f.declineReasonsTime) }),
  };
}

function frameworkJson(ctx: MasterContext, f: FrameworkRecord, viewer: Viewer): FrameworkJson {
  const visible = (t: TaskRecord): boolean => viewer.all || viewer.task(f.info, t.info);
  const live = [...f.tasks.values()].filter(visible);
  return {
    ...frameworkFields(ctx, f),
    tasks: live.filter((t) => ctx.agents.get(t.agentId)?.status !== 'unreachable').map(taskJson),
    completed_tasks: [...f.completedTasks.values()].filter(visible).map(taskJson),
    unreachable_tasks: live.filter((t) => ctx.agents.get(t.agentId)?.status === 'unreachable').map(taskJson),
    offers: ctx.offers.byFramework(f.id).map(offerJson),
  };
}

/** Registry resources, or none when they no longer parse. */
export function safeResources(resources: IResource[] | null | undefined): Resources {
  try {
    return Resources.fromProto(resources);
  } catch {
    return Resources.EMPTY;
  }
}

/** Builds the /master/state document; frameworks and tasks `viewer` may not see are left out. */
export function masterState(ctx: MasterContext, viewer: Viewer = SEE_ALL): MasterState {
  const shown = (f: FrameworkRecord): boolean => viewer.all || viewer.framework(f.info);
  const frameworks = [...ctx.frameworks.values()].filter(shown);
  const shownIds = new Set(frameworks.map((f) => f.id));
  const info = ctx.info;
  const leader: IMasterInfo = ctx.leadership.leader ?? {};
  const agents = [...ctx.agents.values()];
  return {
    version: info.version ?? '',
    id: info.id ?? '',
    hostname: info.hostname ?? '',
    elected: ctx.leadership.elected,
    leader: ctx.leadership.leader ? `master@${leader.ip ?? ''}:${leader.port ?? 0}` : '',
    leader_info: {
      id: leader.id ?? '',
      hostname: leader.hostname ?? '',
      ip: leader.ip ?? '',
      port: leader.port ?? 0,
      grpc_port: leader.grpcPort ?? 0,
      version: leader.version ?? '',
      epoch: leader.epoch ?? 0,
    },
    start_time: secs(ctx.startTime),
    elected_time: secs(ctx.leadership.electedTime ?? ctx.startTime),
    activated_slaves: agents.filter((a) => a.status === 'connected').length,
    deactivated_slaves: agents.filter((a) => a.status === 'disconnected').length,
    unreachable_slaves: agents.filter((a) => a.status === 'unreachable').length,
    slaves: agents.map((a) => agentJson(ctx, a)),
    recovered_slaves: [...ctx.recovered.values()].map((r) => ({
      id: r.id,
      hostname: r.info.hostname ?? '',
      port: r.info.port ?? 0,
      resources: safeResources(r.info.resources).toJSON(),
      ...maintenanceJson(ctx, r.id),
    })),
    recovering: ctx.recovering,
    frameworks: frameworks.map((f) => frameworkJson(ctx, f, viewer)),
    completed_frameworks: [...ctx.completedFrameworks.values()].filter(shown).map((f) => frameworkJson(ctx, f, viewer)),
    offers: [...ctx.offers.all()].filter((o) => viewer.all || shownIds.has(o.frameworkId)).map(offerJson),
  };
}
