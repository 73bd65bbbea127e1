// Framework lifecycle: subscribe (new or failover), heartbeats, disconnection
// with a failover timeout, teardown.
import {
  AgentEventType,
  EventType,
  frameworkRoles,
  newId,
  TaskState,
  TaskStatusReason,
  validateFrameworkInfo,
  type Call,
  type IFrameworkInfo,
} from '@mesocosm/protocol';
import { checkSubscribe } from './framework-auth.js';
import { rescindFrameworkOffers } from './offer-lifecycle.js';
import { sendError, sendToAgent, sendToConnection, sendToFramework, sendUpdate } from './send.js';
import { markTask } from './task-records.js';
import {
  MAX_COMPLETED_FRAMEWORKS,
  type FrameworkConnection,
  type FrameworkRecord,
  type MasterContext,
} from './types.js';

function newFrameworkRecord(ctx: MasterContext, id: string, info: IFrameworkInfo): FrameworkRecord {
  return {
    id,
    info,
    roles: frameworkRoles(info),
    conn: undefined,
    streamId: undefined,
    active: false,
    registeredTime: ctx.clock.now(),
    reregisteredTime: undefined,
    unregisteredTime: undefined,
    heartbeatTimer: undefined,
    failoverTimer: undefined,
    tasks: new Map(),
    completedTasks: new Map(),
    declineReasons: [],
    declineReasonsTime: undefined,
    inAllocator: false,
  };
}

/** Adds a framework to the model and the allocator, inactive (e.g. learnt from an agent). */
export function addFramework(
  ctx: MasterContext,
  id: string,
  info: IFrameworkInfo,
  suppressedRoles: string[] = [],
): FrameworkRecord {
  const fw = newFrameworkRecord(ctx, id, { ...info, id: { value: id } });
  ctx.frameworks.set(id, fw);
  ctx.changes.framework(id);
  ctx.allocator.addFramework({ frameworkId: id, roles: fw.roles, suppressedRoles });
  ctx.allocator.setFrameworkActive(id, false);
  fw.inAllocator = true;
  return fw;
}

/**
 * Handles SUBSCRIBE on a stream: a new framework, or a failover when the
 * FrameworkInfo carries a known ID. Returns the framework, or undefined when
 * refused (an ERROR was sent and the stream closed).
 */
export async function subscribe(
  ctx: MasterContext,
  conn: FrameworkConnection,
  call: Call,
  isOpen: () => boolean,
  principal?: string,
): Promise<FrameworkRecord | undefined> {
  const requestedId = call.subscribe?.frameworkInfo?.id?.value || call.frameworkId?.value || undefined;
  const info = checkSubscribe(ctx, validateFrameworkInfo(call.subscribe?.frameworkInfo), requestedId, principal);
  if (requestedId && ctx.completedFrameworks.has(requestedId)) {
    sendError(ctx, conn, 'FRAMEWORK_REMOVED', `framework ${requestedId} was torn down; subscribe without an ID`);
    conn.close();
    return undefined;
  }
  const id = requestedId ?? `${ctx.info.id ?? ''}-${String(ctx.sequence.framework++).padStart(4, '0')}`;
  const fullInfo: IFrameworkInfo = { ...info, id: { value: id } };
  await ctx.registry.putFramework(fullInfo);
  if (!isOpen()) return undefined;

  const suppressed = call.subscribe?.suppressedRoles ?? [];
  let fw = ctx.frameworks.get(id);
  if (fw) {
    failOverFrom(ctx, fw, conn);
    fw.info = fullInfo;
    const roles = frameworkRoles(fullInfo);
    if (roles.join('\u0000') !== fw.roles.join('\u0000')) {
      fw.roles = roles;
      ctx.allocator.updateFrameworkRoles(id, roles);
    }
    if (suppressed.length > 0) ctx.allocator.suppress(id, suppressed);
    fw.reregisteredTime = ctx.clock.now();
  } else {
    fw = addFramework(ctx, id, fullInfo, suppressed);
  }
  const streamId = newId();
  fw.conn = conn;
  fw.streamId = streamId;
  fw.active = true;
  fw.unregisteredTime = undefined;
  ctx.changes.framework(id);
  ctx.streams.set(streamId, fw);
  ctx.allocator.setFrameworkActive(id, true);
  sendToConnection(ctx, conn, {
    type: EventType.SUBSCRIBED,
    subscribed: {
      frameworkId: { value: id },
      streamId,
      heartbeatIntervalSeconds: ctx.options.heartbeatIntervalMs / 1000,
      masterInfo: ctx.info,
    },
  });
  startHeartbeat(ctx, fw);
  ctx.logger.info('framework subscribed', {
    frameworkId: id,
    name: fullInfo.name,
    ...(fullInfo.principal ? { principal: fullInfo.principal } : {}),
    failover: requestedId !== undefined,
  });
  ctx.scheduleAllocation();
  return fw;
}

/** Detaches a framework from its old stream before a new one takes over. */
function failOverFrom(ctx: MasterContext, fw: FrameworkRecord, conn: FrameworkConnection): void {
  if (fw.failoverTimer) ctx.clock.clearTimeout(fw.failoverTimer);
  fw.failoverTimer = undefined;
  stopHeartbeat(ctx, fw);
  // The new scheduler instance does not know the old offers.
  rescindFrameworkOffers(ctx, fw.id, false);
  if (fw.streamId) ctx.streams.delete(fw.streamId);
  const old = fw.conn;
  fw.conn = undefined;
  fw.streamId = undefined;
  if (old && old !== conn) {
    sendError(ctx, old, 'FRAMEWORK_FAILED_OVER', `framework ${fw.id} subscribed again on another stream`);
    old.close();
  }
}

function startHeartbeat(ctx: MasterContext, fw: FrameworkRecord): void {
  stopHeartbeat(ctx, fw);
  const tick = (): void => {
    fw.heartbeatTimer = undefined;
    if (!fw.conn) return;
    sendToFramework(ctx, fw, { type: EventType.HEARTBEAT });
    fw.heartbeatTimer = ctx.clock.setTimeout(tick, ctx.options.heartbeatIntervalMs);
  };
  fw.heartbeatTimer = ctx.clock.setTimeout(tick, ctx.options.heartbeatIntervalMs);
}

function stopHeartbeat(ctx: MasterContext, fw: FrameworkRecord): void {
  if (fw.heartbeatTimer) ctx.clock.clearTimeout(fw.heartbeatTimer);
  fw.heartbeatTimer = undefined;
}

/** Arms the failover timeout of a framework without a stream (0 s: torn down at once). */
export function startFailoverTimer(ctx: MasterContext, fw: FrameworkRecord, minimumMs = 0): void {
  if (fw.failoverTimer) ctx.clock.clearTimeout(fw.failoverTimer);
  const timeoutMs = Math.max(minimumMs, (fw.info.failoverTimeout ?? 0) * 1000);
  if (timeoutMs === 0) {
    teardown(ctx, fw, 'its stream closed and its failover_timeout is 0');
    return;
  }
  fw.failoverTimer = ctx.clock.setTimeout(() => {
    fw.failoverTimer = undefined;
    if (!fw.conn) teardown(ctx, fw, `it did not re-subscribe within its failover_timeout (${timeoutMs / 1000} s)`);
  }, timeoutMs);
}

/** The framework's stream closed: no more offers; tasks kept for its failover timeout. */
export function disconnect(ctx: MasterContext, fw: FrameworkRecord): void {
  if (!fw.conn) return;
  if (fw.streamId) ctx.streams.delete(fw.streamId);
  fw.conn = undefined;
  fw.streamId = undefined;
  fw.active = false;
  fw.unregisteredTime = ctx.clock.now();
  ctx.changes.framework(fw.id);
  stopHeartbeat(ctx, fw);
  ctx.allocator.setFrameworkActive(fw.id, false);
  rescindFrameworkOffers(ctx, fw.id, false);
  ctx.logger.info('framework disconnected', { frameworkId: fw.id, failoverTimeout: fw.info.failoverTimeout ?? 0 });
  startFailoverTimer(ctx, fw);
}

/** Removes a framework: its offers rescinded, its tasks killed, its stream closed. */
export function teardown(ctx: MasterContext, fw: FrameworkRecord, why: string): void {
  if (ctx.frameworks.get(fw.id) !== fw) return;
  ctx.logger.info('tearing down framework', { frameworkId: fw.id, why });
  if (fw.failoverTimer) ctx.clock.clearTimeout(fw.failoverTimer);
  fw.failoverTimer = undefined;
  stopHeartbeat(ctx, fw);
  rescindFrameworkOffers(ctx, fw.id, false);
  const agents = new Set<string>();
  for (const task of [...fw.tasks.values()]) {
    agents.add(task.agentId);
    sendToAgent(ctx, ctx.agents.get(task.agentId), {
      type: AgentEventType.KILL_TASK,
      killTask: { frameworkId: { value: fw.id }, taskId: { value: task.taskId } },
    });
    const status = markTask(
      ctx,
      task,
      TaskState.TASK_KILLED,
      TaskStatusReason.REASON_FRAMEWORK_REMOVED,
      `framework removed: ${why}`,
      true,
    );
    sendUpdate(ctx, fw, status);
  }
  for (const agentId of agents) {
    sendToAgent(ctx, ctx.agents.get(agentId), {
      type: AgentEventType.SHUTDOWN_FRAMEWORK,
      shutdownFramework: { frameworkId: { value: fw.id } },
    });
  }
  if (fw.conn) {
    sendError(ctx, fw.conn, 'FRAMEWORK_REMOVED', `framework ${fw.id} was torn down: ${why}`);
    fw.conn.close();
  }
  if (fw.streamId) ctx.streams.delete(fw.streamId);
  fw.conn = undefined;
  fw.streamId = undefined;
  fw.active = false;
  fw.unregisteredTime = ctx.clock.now();
  if (fw.inAllocator) ctx.allocator.removeFramework(fw.id);
  fw.inAllocator = false;
  ctx.frameworks.delete(fw.id);
  ctx.completedFrameworks.set(fw.id, fw);
  ctx.changes.framework(fw.id);
  if (ctx.completedFrameworks.size > MAX_COMPLETED_FRAMEWORKS) {
    const oldest = ctx.completedFrameworks.keys().next();
    if (!oldest.done) ctx.completedFrameworks.delete(oldest.value);
  }
  ctx.registry.removeFramework(fw.id).catch((err: unknown) => {
    ctx.logger.error('registry: could not remove framework', { frameworkId: fw.id, error: String(err) });
  });
  ctx.scheduleAllocation();
}
