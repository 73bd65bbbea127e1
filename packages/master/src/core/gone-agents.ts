// Agents after a failover: "recovered" from the registry until they
// re-register, or "gone" once agent_reregister_timeout passes (removed for
// good: a later re-registration with that ID is refused). Draining with
// mark_gone also ends in gone.
import { EventType, type IAgentInfo } from '@mesocosm/protocol';
import { rescindAgentOffers } from './offer-lifecycle.js';
import { sendAgentError, sendToFramework } from './send.js';
import type { AgentConnection, AgentRecord, MasterContext, RecoveredAgent } from './types.js';

/** The ERROR code an agent gets when it re-registers with an ID that was removed: register afresh. */
export const AGENT_REMOVED = 'AGENT_REMOVED';

/** Records an agent from the registry and arms its re-registration timeout from `electedAt`. */
export function addRecoveredAgent(ctx: MasterContext, info: IAgentInfo, electedAt: number): void {
  const id = info.id?.value ?? '';
  const rec: RecoveredAgent = {
    id,
    info,
    timer: undefined,
    deadline: electedAt + ctx.options.agentReregisterTimeoutMs,
    principal: undefined,
    recordRead: false,
  };
  ctx.recovered.set(id, rec);
  armRecovered(ctx, rec);
}

function armRecovered(ctx: MasterContext, rec: RecoveredAgent): void {
  const timeoutMs = ctx.options.agentReregisterTimeoutMs;
  rec.timer = ctx.clock.setTimeout(
    () => {
      rec.timer = undefined;
      if (ctx.recovered.get(rec.id) !== rec) return;
      ctx.recovered.delete(rec.id);
      markGone(
        ctx,
        rec.id,
        false,
        `it did not re-register within ${timeoutMs} ms of the election (agent_reregister_timeout)`,
      );
    },
    Math.max(0, rec.deadline - ctx.clock.now()),
  );
}

/**
 * A recovered agent is re-registering: its timeout is cancelled, but it stays
 * "recovered" (reconciliation of its tasks keeps waiting) until
 * {@link settleRecovered} once its record is back, or {@link releaseRecovered}
 * if the re-registration is abandoned (its timeout re-armed).
 */
export function claimRecovered(ctx: MasterContext, id: string): RecoveredAgent | undefined {
  const rec = ctx.recovered.get(id);
  if (!rec) return undefined;
  if (rec.timer) ctx.clock.clearTimeout(rec.timer);
  rec.timer = undefined;
  return rec;
}

/** The claimed agent is registered again: no longer recovered. */
export function settleRecovered(ctx: MasterContext, rec: RecoveredAgent): void {
  if (ctx.recovered.get(rec.id) === rec) ctx.recovered.delete(rec.id);
}

/** The claimed agent's re-registration was abandoned (its stream closed meanwhile): wait for it again. */
export function releaseRecovered(ctx: MasterContext, rec: RecoveredAgent): void {
  if (ctx.recovered.get(rec.id) === rec && rec.timer === undefined) armRecovered(ctx, rec);
}

/** Cancels every recovered agent's timer (the master stops). */
export function stopRecoveredTimers(ctx: MasterContext): void {
  for (const rec of ctx.recovered.values()) {
    if (rec.timer) ctx.clock.clearTimeout(rec.timer);
    rec.timer = undefined;
  }
}

/**
 * Removes an agent for good: recorded as gone (and in the registry, where
 * its admission and maintenance record are deleted), every framework told
 * with a FAILURE event naming it, waiting reconciliations answered.
 */
export function markGone(ctx: MasterContext, agentId: string, byOperator: boolean, why: string): void {
  const goneTime = ctx.clock.now();
  ctx.gone.set(agentId, { goneTime, byOperator });
  ctx.maintenance.delete(agentId);
  ctx.logger.warn('agent removed for good (gone)', { agentId, why });
  ctx.registry.markAgentGone({ agentId, goneTime, byOperator }).catch((err: unknown) => {
    ctx.logger.error('registry: could not mark the agent gone', { agentId, error: String(err) });
  });
  for (const fw of ctx.frameworks.values()) {
    sendToFramework(ctx, fw, { type: EventType.FAILURE, failure: { agentId: { value: agentId } } });
  }
  ctx.agentSettled();
}

/** Removes a registered agent for good (drained with mark_gone): its stream ends with AGENT_REMOVED. */
export function removeLiveAgent(ctx: MasterContext, agent: AgentRecord, why: string): void {
  for (const t of [agent.pingTimer, agent.reconnectTimer]) if (t) ctx.clock.clearTimeout(t);
  agent.pingTimer = agent.reconnectTimer = undefined;
  const conn = agent.conn;
  agent.conn = undefined;
  agent.status = 'unreachable';
  if (conn) refuseRemoved(ctx, conn, agent.id, why);
  rescindAgentOffers(ctx, agent.id, false);
  if (agent.inAllocator) ctx.allocator.removeAgent(agent.id);
  agent.inAllocator = false;
  ctx.agents.delete(agent.id);
  ctx.changes.agent(agent.id);
  markGone(ctx, agent.id, true, why);
}

/** Refuses a stream of a removed agent: ERROR AGENT_REMOVED, then the stream is closed. */
export function refuseRemoved(ctx: MasterContext, conn: AgentConnection, agentId: string, why: string): void {
  sendAgentError(
    ctx,
    conn,
    AGENT_REMOVED,
    `agent ${agentId} was removed from the cluster (${why}); forget this agent ID and REGISTER as a new agent`,
  );
  conn.close();
}
