// Agent registration: REGISTER (new ID, admitted into the registry) and
// REREGISTER (same ID, its tasks and frameworks merged back in).
import {
  AgentCallType,
  AgentEventType,
  type Resources,
  validateAgentInfo,
  ValidationError,
  type AgentCall,
  type IAgentInfo,
} from '@mesocosm/protocol';
import { startPinging, stopTimers, usedOn } from './agent-liveness.js';
import { bindingUnread, claimAgentId, principalToRecord, readBinding, releaseAgentId } from './agent-principals.js';
import { mergeReportedTasks } from './agent-tasks.js';
import { claimRecovered, releaseRecovered, settleRecovered, refuseRemoved } from './gone-agents.js';
import { onAgentRegistered } from './maintenance.js';
import { rescindAgentOffers } from './offer-lifecycle.js';
import { sendAgentError, sendToAgentConnection } from './send.js';
import type { AgentConnection, AgentRecord, MasterContext } from './types.js';

function validateAttributes(info: IAgentInfo): void {
  (info.attributes ?? []).forEach((a, i) => {
    if (!a.name || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(a.name)) {
      throw new ValidationError(`agent_info.attributes[${i}].name`, `'${a.name ?? ''}' is not a valid attribute name`);
    }
  });
}

function newAgentRecord(
  ctx: MasterContext,
  id: string,
  info: IAgentInfo,
  total: Resources,
  principal: string | undefined,
): AgentRecord {
  return {
    id,
    info,
    total,
    conn: undefined,
    status: 'connected',
    registeredTime: ctx.clock.now(),
    reregisteredTime: undefined,
    missedPings: 0,
    awaitingPong: false,
    pingTimer: undefined,
    reconnectTimer: undefined,
    tasks: new Set(),
    inAllocator: false,
    principal,
  };
}

/**
 * Handles REGISTER / REREGISTER on an agent stream. Returns the agent, or
 * undefined when refused (an ERROR was sent and the stream closed).
 * `principal`: whom the stream authenticated as. Throws ValidationError on a
 * malformed AgentInfo, PermissionDeniedError when the agent ID is bound to
 * another principal (agent-principals.ts).
 */
export async function registerAgent(
  ctx: MasterContext,
  conn: AgentConnection,
  call: AgentCall,
  isOpen: () => boolean,
  principal?: string,
): Promise<AgentRecord | undefined> {
  const info = call.register?.agentInfo;
  const total = validateAgentInfo(info);
  validateAttributes(info ?? {});
  const requestedId =
    info?.id?.value || (call.type === AgentCallType.REREGISTER ? call.agentId?.value : undefined) || undefined;
  if (call.type === AgentCallType.REREGISTER && !requestedId) {
    throw new ValidationError('reregister.agent_info.id', 'is required to re-register; send REGISTER for a new agent');
  }
  if (requestedId && bindingUnread(ctx, requestedId)) {
    await readBinding(ctx, requestedId);
    if (!isOpen()) return undefined;
  }
  // Checked before anything else: whether the ID is connected or gone is not told to another principal.
  const held = requestedId ? claimAgentId(ctx, requestedId, principal) : undefined;
  try {
    return await admit(ctx, conn, call, total, requestedId, isOpen, principal);
  } finally {
    if (held) releaseAgentId(ctx, held);
  }
}

async function admit(
  ctx: MasterContext,
  conn: AgentConnection,
  call: AgentCall,
  total: Resources,
  requestedId: string | undefined,
  isOpen: () => boolean,
  principal: string | undefined,
): Promise<AgentRecord | undefined> {
  const info = call.register?.agentInfo;
  const refuseIfConnected = (): boolean => {
    const existing = requestedId ? ctx.agents.get(requestedId) : undefined;
    if (!existing?.conn || existing.conn === conn) return false;
    sendAgentError(ctx, conn, 'AGENT_ALREADY_CONNECTED', `agent ${requestedId} is already connected on another stream`);
    conn.close();
    return true;
  };
  const refuseIfGone = (): boolean => {
    if (!requestedId || !ctx.gone.has(requestedId)) return false;
    refuseGone(ctx, conn, requestedId, call);
    return true;
  };
  if (refuseIfConnected() || refuseIfGone()) return undefined;
  const id = requestedId ?? `${ctx.info.id ?? ''}-S${ctx.sequence.agent++}`;
  const fullInfo: IAgentInfo = { ...info, id: { value: id } };
  const bound = principalToRecord(ctx, id, principal);
  // Back after a failover: claimed before the write, so its timeout cannot fire meanwhile; it
  // stays "recovered" (reconciliations of its tasks wait) until its record is back below.
  const recovered = claimRecovered(ctx, id);
  await ctx.registry.admitAgent(fullInfo, bound);
  if (!isOpen() || refuseIfConnected() || refuseIfGone()) {
    if (recovered) releaseRecovered(ctx, recovered);
    return undefined;
  }

  let agent = ctx.agents.get(id);
  const wasKnown = agent !== undefined;
  if (agent) {
    stopTimers(ctx, agent);
    rescindAgentOffers(ctx, id, true);
    const resized = !agent.total.equals(total);
    if (agent.inAllocator && resized) {
      ctx.allocator.removeAgent(id);
      agent.inAllocator = false;
    }
    agent.info = fullInfo;
    agent.total = total;
    agent.reregisteredTime = ctx.clock.now();
    agent.principal = bound;
  } else {
    agent = newAgentRecord(ctx, id, fullInfo, total, bound);
    ctx.agents.set(id, agent);
  }
  agent.conn = conn;
  agent.status = 'connected';
  ctx.changes.agent(id);
  mergeReportedTasks(ctx, agent, call.register ?? {}, wasKnown);
  if (recovered) settleRecovered(ctx, recovered);
  if (!agent.inAllocator) {
    const used = usedOn(agent).filter((u) => ctx.frameworks.get(u.frameworkId)?.inAllocator);
    ctx.allocator.addAgent(
      { agentId: id, hostname: fullInfo.hostname ?? '', total, attributes: fullInfo.attributes ?? [] },
      used,
    );
    agent.inAllocator = true;
  }
  onAgentRegistered(ctx, agent);
  sendToAgentConnection(ctx, conn, {
    type: AgentEventType.REGISTERED,
    registered: {
      agentId: { value: id },
      masterInfo: ctx.info,
      pingIntervalSeconds: ctx.options.agentPingIntervalMs / 1000,
    },
  });
  startPinging(ctx, agent);
  ctx.logger.info(wasKnown || requestedId ? 'agent re-registered' : 'agent registered', {
    agentId: id,
    hostname: fullInfo.hostname,
    resources: total.toString(),
    tasks: agent.tasks.size,
    ...(bound === undefined ? {} : { principal: bound }),
  });
  if (recovered) ctx.agentSettled();
  ctx.scheduleAllocation();
  return agent;
}

/** A removed agent re-registers: its reported frameworks shut down on it (their tasks were reported gone), then AGENT_REMOVED. */
function refuseGone(ctx: MasterContext, conn: AgentConnection, agentId: string, call: AgentCall): void {
  const frameworks = new Set<string>();
  for (const t of call.register?.tasks ?? []) if (t.frameworkId?.value) frameworks.add(t.frameworkId.value);
  for (const frameworkId of frameworks) {
    sendToAgentConnection(ctx, conn, {
      type: AgentEventType.SHUTDOWN_FRAMEWORK,
      shutdownFramework: { frameworkId: { value: frameworkId } },
    });
  }
  refuseRemoved(ctx, conn, agentId, 'it was marked gone');
}
