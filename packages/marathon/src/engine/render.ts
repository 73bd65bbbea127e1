// Marathon's JSON for what the engine holds: tasks, apps with their counts,
// deployment plans in events, status events, queue items.

import type { OfferStats } from '@mesocosm/framework-sdk';
import type { AppDefinition } from '../model/app-definition.js';
import { groupOf, renderGroup } from '../model/group.js';
import { renderApp } from '../model/render-app.js';
import type { DeploymentPlan, DeploymentStep } from '../planner/deployment-plan.js';
import { isHealthy } from '../planner/instance.js';
import type { InstanceRecord } from '../state/instance-record.js';
import type { ITaskStatus } from './sdk-types.js';
import { viewOf } from './instance-status.js';

type Json = Record<string, unknown>;

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** Marathon's `servicePorts` of an app. */
export function servicePorts(app: AppDefinition | undefined): number[] {
  if (!app) return [];
  if (app.network === 'HOST') return app.portDefinitions.map((d) => d.port);
  return (app.container?.portMappings ?? []).map((m) => m.servicePort);
}

/** A task as GET /v2/tasks and /v2/apps/{id}/tasks show it. */
export function taskJson(r: InstanceRecord, app: AppDefinition | undefined): Json {
  const json: Json = {
    id: r.taskId,
    appId: r.appId,
    host: r.host ?? '',
    ports: [...r.ports],
    servicePorts: servicePorts(app),
    ipAddresses: [],
    slaveId: r.agentId ?? null,
    agentId: r.agentId ?? null,
    stagedAt: iso(r.stagedAt),
    startedAt: iso(r.startedAt),
    state: r.state === 'pending' ? 'TASK_STAGING' : r.killRequested ? 'TASK_KILLING' : r.state,
    version: r.appVersion,
    localVolumes: [],
  };
  if (app && app.healthChecks.length > 0 && r.healthy !== undefined) {
    json.healthCheckResults = [
      {
        alive: r.healthy,
        consecutiveFailures: r.healthy ? 0 : 1,
        firstSuccess: null,
        lastFailure: r.healthy ? null : iso(r.unhealthySince),
        lastSuccess: null,
        lastFailureCause: null,
        taskId: r.taskId,
        instanceId: r.taskId,
      },
    ];
  }
  return json;
}

/** The task counts Marathon adds to an app. */
export function appCounts(app: AppDefinition, instances: readonly InstanceRecord[], now: number): Json {
  let staged = 0;
  let running = 0;
  let healthy = 0;
  let unhealthy = 0;
  for (const r of instances) {
    if (r.state === 'TASK_RUNNING') running++;
    else if (r.state === 'pending' || r.state === 'TASK_STAGING' || r.state === 'TASK_STARTING') staged++;
    const view = viewOf(r, app, now);
    if (app.healthChecks.length > 0 && view && view.phase === 'running') {
      if (isHealthy(app, view)) healthy++;
      else if (r.healthy === false) unhealthy++;
    }
  }
  return { tasksStaged: staged, tasksRunning: running, tasksHealthy: healthy, tasksUnhealthy: unhealthy };
}

/** A deployment step as in events (`currentStep`). */
export function stepJson(step: DeploymentStep): Json {
  return { actions: step.actions.map((a) => ({ action: a.action, app: a.app.id })) };
}

/** A deployment plan as Marathon's events carry it. */
export function planJson(plan: DeploymentPlan): Json {
  return {
    id: plan.id,
    version: plan.version,
    original: renderGroup(groupOf(plan.original), renderApp),
    target: renderGroup(groupOf(plan.target), renderApp),
    steps: plan.steps.map(stepJson),
  };
}

/** `status_update_event`. */
export function statusEvent(r: InstanceRecord, state: string, status: ITaskStatus): Json {
  return {
    slaveId: r.agentId ?? status.agentId?.value ?? null,
    taskId: r.taskId,
    taskStatus: state,
    message: status.message ?? '',
    appId: r.appId,
    host: r.host ?? '',
    ipAddresses: [],
    ports: [...r.ports],
    version: r.appVersion,
  };
}

// The SDK's decline reasons, under Marathon's names (`rejectSummaryLastOffers`).
const REASONS: readonly [string, (reason: string) => boolean][] = [
  ['UnfulfilledRole', (r) => r === 'unfulfilled role'],
  ['UnfulfilledConstraint', (r) => r.startsWith('constraint ')],
  ['InsufficientCpus', (r) => r === 'insufficient cpus'],
  ['InsufficientMemory', (r) => r === 'insufficient mem'],
  ['InsufficientDisk', (r) => r === 'insufficient disk'],
  ['InsufficientGpus', (r) => r === 'insufficient gpus'],
  ['InsufficientPorts', (r) => r === 'insufficient ports'],
];

function summary(counts: Record<string, number>, processed: number): Json[] {
  const out = REASONS.map(([name, match]) => ({
    reason: name,
    declined: Object.entries(counts).reduce((n, [r, c]) => (match(r) ? n + c : n), 0),
    processed,
  }));
  const known = (r: string): boolean => REASONS.some(([, match]) => match(r));
  for (const [r, c] of Object.entries(counts)) if (!known(r)) out.push({ reason: r, declined: c, processed });
  return out;
}

/** `processedOffersSummary` of a queue item. */
export function offersSummary(stats: OfferStats | undefined): Json {
  const s = stats ?? { processedOffers: 0, unusedOffers: 0, rejections: {}, lastRejections: {} };
  return {
    processedOffersCount: s.processedOffers,
    unusedOffersCount: s.unusedOffers,
    ...(s.lastUnusedOfferAt === undefined ? {} : { lastUnusedOfferAt: iso(s.lastUnusedOfferAt) }),
    ...(s.lastUsedOfferAt === undefined ? {} : { lastUsedOfferAt: iso(s.lastUsedOfferAt) }),
    rejectSummaryLastOffers: summary(s.lastRejections, s.processedOffers),
    rejectSummaryLaunchAttempt: summary(s.rejections, s.processedOffers),
  };
}
