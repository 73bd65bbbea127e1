// Agent liveness: PING/HEARTBEAT, disconnection with a grace period, and
// marking an agent unreachable (its tasks TASK_UNREACHABLE or TASK_LOST).
import { AgentEventType, FrameworkCapability, TaskState, TaskStatusReason, type Resources } from '@mesocosm/protocol';
import { rescindAgentOffers } from './offer-lifecycle.js';
import { sendToAgent, sendUpdate } from './send.js';
import { markTask } from './task-records.js';
import type { AgentRecord, FrameworkRecord, MasterContext } from './types.js';

/** Whether a framework declared PARTITION_AWARE. */
export function isPartitionAware(fw: FrameworkRecord): boolean {
  return (fw.info.capabilities ?? []).includes(FrameworkCapability.PARTITION_AWARE);
}

/** Starts (or restarts) the PING cycle of a connected agent. */
export function startPinging(ctx: MasterContext, agent: AgentRecord): void {
  stopTimers(ctx, agent);
  agent.missedPings = 0;
  agent.awaitingPong = false;
  const tick = (): void => {
    agent.pingTimer = undefined;
    if (agent.status !== 'connected') return;
    if (agent.awaitingPong) {
      agent.missedPings++;
      if (agent.missedPings >= ctx.options.maxAgentPingTimeouts) {
        markUnreachable(ctx, agent, `it missed ${agent.missedPings} pings`);
        return;
      }
    }
    agent.awaitingPong = true;
    sendToAgent(ctx, agent, { type: AgentEventType.PING });
    agent.pingTimer = ctx.clock.setTimeout(tick, ctx.options.agentPingIntervalMs);
  };
  agent.pingTimer = ctx.clock.setTimeout(tick, ctx.options.agentPingIntervalMs);
}

/** The agent answered a PING. */
export function agentHeartbeat(agent: AgentRecord): void {
  agent.missedPings = 0;
  agent.awaitingPong = false;
}

/** Cancels the ping and reconnect timers. */
export function stopTimers(ctx: MasterContext, agent: AgentRecord): void {
  if (agent.pingTimer) ctx.clock.clearTimeout(agent.pingTimer);
  if (agent.reconnectTimer) ctx.clock.clearTimeout(agent.reconnectTimer);
  agent.pingTimer = undefined;
  agent.reconnectTimer = undefined;
}

/** The agent's stream closed: no offers on it; unreachable unless it comes back in time. */
export function disconnectAgent(ctx: MasterContext, agent: AgentRecord): void {
  if (agent.status !== 'connected') return;
  stopTimers(ctx, agent);
  agent.conn = undefined;
  agent.status = 'disconnected';
  ctx.changes.agent(agent.id);
  if (agent.inAllocator) ctx.allocator.setAgentActive(agent.id, false);
  rescindAgentOffers(ctx, agent.id, true);
  const graceMs = ctx.options.agentPingIntervalMs * ctx.options.maxAgentPingTimeouts;
  ctx.logger.warn('agent disconnected', { agentId: agent.id, graceMs });
  agent.reconnectTimer = ctx.clock.setTimeout(() => {
    agent.reconnectTimer = undefined;
    if (agent.status === 'disconnected') markUnreachable(ctx, agent, `it did not reconnect within ${graceMs} ms`);
  }, graceMs);
}

/**
 * Marks an agent unreachable: offers rescinded, resources out of the
 * allocator, tasks TASK_UNREACHABLE (partition-aware frameworks) or TASK_LOST.
 */
export function markUnreachable(ctx: MasterContext, agent: AgentRecord, why: string): void {
  if (agent.status === 'unreachable') return;
  ctx.logger.warn('agent unreachable', { agentId: agent.id, why });
  stopTimers(ctx, agent);
  const conn = agent.conn;
  agent.conn = undefined;
  agent.status = 'unreachable';
  ctx.changes.agent(agent.id);
  conn?.close();
  rescindAgentOffers(ctx, agent.id, false);
  for (const task of [...agent.tasks]) {
    const fw = ctx.frameworks.get(task.frameworkId);
    if (!fw) continue;
    const aware = isPartitionAware(fw);
    const status = markTask(
      ctx,
      task,
      aware ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST,
      TaskStatusReason.REASON_AGENT_REMOVED,
      `agent ${agent.id} is unreachable: ${why}`,
      false,
    );
    sendUpdate(ctx, fw, status);
  }
  if (agent.inAllocator) ctx.allocator.removeAgent(agent.id);
  agent.inAllocator = false;
}

/** What the agent's live tasks use, by framework and allocation role (for `Allocator.addAgent`). */
export function usedOn(agent: AgentRecord): { frameworkId: string; role: string; resources: Resources }[] {
  const used = new Map<string, { frameworkId: string; role: string; resources: Resources }>();
  for (const task of agent.tasks) {
    const key = `${task.frameworkId}\u0000${task.role}`;
    const prev = used.get(key);
    used.set(key, {
      frameworkId: task.frameworkId,
      role: task.role,
      resources: prev ? prev.resources.add(task.resources) : task.resources,
    });
  }
  return [...used.values()];
}
