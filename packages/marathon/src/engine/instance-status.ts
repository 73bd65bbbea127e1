// Status updates → instance records, and records → the planner's
// InstanceView. Pure: time comes in as `now` (ms).

import type { AppDefinition, UnreachableStrategy } from '../model/app-definition.js';
import type { InstanceView } from '../planner/instance.js';
import type { InstanceRecord, InstanceState } from '../state/instance-record.js';
import { isTerminalState, taskStateName, type ITaskStatus } from './sdk-types.js';

/** What a status update did to an instance. */
export type StatusOutcome =
  | {
      readonly kind: 'changed';
      readonly record: InstanceRecord;
      readonly stateChanged: boolean;
      /** Set when the health result changed (true/false). */
      readonly health?: boolean;
    }
  | {
      readonly kind: 'terminal';
      readonly record: InstanceRecord;
      readonly state: string;
      /** Not asked for (no kill was sent) and launched: counts for the launch backoff. */
      readonly failed: boolean;
    };

const LIVE: readonly InstanceState[] = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_UNREACHABLE',
];

/** Applies `status` to `record` at `now`. */
export function applyStatus(record: InstanceRecord, status: ITaskStatus, now: number): StatusOutcome {
  const state = taskStateName(status.state ?? 0);
  const agentId = record.agentId ?? (status.agentId?.value || undefined);
  if (isTerminalState(status.state ?? 0) || !(LIVE as readonly string[]).includes(state)) {
    // A pending record that ends (never launched, as reconciliation found) is not the app's failure.
    const failed = record.killRequested !== true && record.state !== 'pending';
    return { kind: 'terminal', record: { ...record, ...(agentId ? { agentId } : {}) }, state, failed };
  }
  const next: { -readonly [K in keyof InstanceRecord]: InstanceRecord[K] } = {
    ...record,
    state: state as InstanceState,
  };
  delete next.unconfirmed;
  if (agentId) next.agentId = agentId;
  if (state === 'TASK_UNREACHABLE') next.unreachableSince = record.unreachableSince ?? now;
  else delete next.unreachableSince;
  if (state === 'TASK_RUNNING' && next.startedAt === undefined) next.startedAt = now;
  if (next.stagedAt === undefined) next.stagedAt = now;
  let health: boolean | undefined;
  if (status.hasHealthy === true && typeof status.healthy === 'boolean' && status.healthy !== record.healthy) {
    health = status.healthy;
    next.healthy = status.healthy;
    if (status.healthy) delete next.unhealthySince;
    else next.unhealthySince = now;
  }
  return {
    kind: 'changed',
    record: next,
    stateChanged: state !== record.state,
    ...(health === undefined ? {} : { health }),
  };
}

/** True once an unreachable instance should be replaced (`inactiveAfterSeconds` passed). */
export function isInactive(record: InstanceRecord, strategy: UnreachableStrategy, now: number): boolean {
  if (record.state !== 'TASK_UNREACHABLE' || strategy === 'disabled') return false;
  return now - (record.unreachableSince ?? now) >= strategy.inactiveAfterSeconds * 1000;
}

/** True once an unreachable instance should be forgotten (`expungeAfterSeconds` passed). */
export function isExpunged(record: InstanceRecord, strategy: UnreachableStrategy, now: number): boolean {
  if (record.state !== 'TASK_UNREACHABLE' || strategy === 'disabled') return false;
  return now - (record.unreachableSince ?? now) >= strategy.expungeAfterSeconds * 1000;
}

/**
 * The planner's view of an instance, or undefined when it no longer counts
 * (unreachable past `inactiveAfterSeconds`: a replacement is due).
 * `passedReadiness` says whether its app's readiness check has passed (only
 * read when the app has one): ready = running, healthy and passed.
 */
export function viewOf(
  record: InstanceRecord,
  app: AppDefinition | undefined,
  now: number,
  passedReadiness = false,
): InstanceView | undefined {
  const strategy = app?.unreachableStrategy ?? 'disabled';
  if (isInactive(record, strategy, now)) return undefined;
  const phase =
    record.killRequested === true || record.state === 'TASK_KILLING'
      ? 'killing'
      : record.state === 'TASK_RUNNING' || record.state === 'TASK_UNREACHABLE'
        ? 'running'
        : 'staging';
  const healthy = record.state === 'TASK_UNREACHABLE' ? false : record.healthy;
  const ready =
    phase === 'running' &&
    (healthy === true || (app?.healthChecks.length ?? 0) === 0) &&
    ((app?.readinessChecks.length ?? 0) === 0 || passedReadiness);
  return {
    id: record.taskId,
    version: record.version,
    phase,
    ...(healthy === undefined ? {} : { healthy }),
    ...(ready ? { ready: true } : {}),
    startedAt: record.startedAt ?? record.stagedAt ?? record.createdAt,
  };
}
