// Maintenance in Mesos 1.9's terms: DEACTIVATE_AGENT (no offers), DRAIN_AGENT
// (no offers, tasks killed with a capped grace period or left running,
// DRAINING until no task is left, then DRAINED), REACTIVATE_AGENT. Each
// operator call is in the registry before it returns.
import { AgentEventType, MesocosmError, ValidationError, type IKillPolicy } from '@mesocosm/protocol';
import type { DrainConfig, MaintenanceRecord } from '../registry/registry.js';
import { removeLiveAgent } from './gone-agents.js';
import { rescindAgentOffers } from './offer-lifecycle.js';
import { sendToAgent } from './send.js';
import type { AgentRecord, MasterContext, TaskRecord } from './types.js';

/** Whether the agent gets no offers because of maintenance. */
export function isDeactivated(ctx: MasterContext, agentId: string): boolean {
  return ctx.maintenance.get(agentId)?.deactivated === true;
}

/** Offers for the agent only while it is connected and not deactivated. */
export function refreshAgentActive(ctx: MasterContext, agent: AgentRecord): void {
  if (!agent.inAllocator) return;
  ctx.allocator.setAgentActive(agent.id, agent.status === 'connected' && !isDeactivated(ctx, agent.id));
}

function checkKnown(ctx: MasterContext, agentId: string): void {
  if (!agentId) throw new ValidationError('agent_id', 'is required');
  if (ctx.gone.has(agentId)) {
    throw new MesocosmError('UNKNOWN_AGENT', `agent '${agentId}' is gone (removed for good); nothing to do`);
  }
  if (!ctx.agents.has(agentId) && !ctx.recovered.has(agentId)) {
    throw new MesocosmError('UNKNOWN_AGENT', `no agent '${agentId}' is known to this master`);
  }
}

async function save(ctx: MasterContext, record: MaintenanceRecord): Promise<boolean> {
  await ctx.registry.putDrain(record);
  if (ctx.gone.has(record.agentId)) return false; // removed while we wrote
  ctx.maintenance.set(record.agentId, record);
  ctx.changes.agent(record.agentId);
  return true;
}

/** The kill policy a drain uses for `task`: its own grace, capped at max_grace_period. */
export function drainKillPolicy(task: TaskRecord, config: DrainConfig): IKillPolicy | null {
  if (config.maxGracePeriodMs === undefined) return null; // the agent uses the task's policy or its default
  const own = task.info.killPolicy?.gracePeriodSeconds;
  const cap = config.maxGracePeriodMs / 1000;
  return { gracePeriodSeconds: own === undefined || own === null ? cap : Math.min(own, cap) };
}

function killForDrain(ctx: MasterContext, agent: AgentRecord): void {
  const drain = ctx.maintenance.get(agent.id)?.drain;
  if (drain?.state !== 'DRAINING' || drain.config.leaveTasksRunning) return;
  for (const task of agent.tasks) {
    sendToAgent(ctx, agent, {
      type: AgentEventType.KILL_TASK,
      killTask: {
        frameworkId: { value: task.frameworkId },
        taskId: { value: task.taskId },
        killPolicy: drainKillPolicy(task, drain.config),
      },
    });
  }
}

function stopOffers(ctx: MasterContext, agent: AgentRecord): void {
  refreshAgentActive(ctx, agent);
  rescindAgentOffers(ctx, agent.id, true);
}

/** DRAIN_AGENT: resolves once the DRAINING record is in the registry and the kills are sent. */
export async function drainAgent(ctx: MasterContext, agentId: string, config: DrainConfig): Promise<void> {
  checkKnown(ctx, agentId);
  if (!(await save(ctx, { agentId, deactivated: true, drain: { state: 'DRAINING', config } }))) return;
  ctx.logger.info('draining agent', { agentId, ...config });
  const agent = ctx.agents.get(agentId);
  if (!agent) return; // recovered: drained once it re-registers
  stopOffers(ctx, agent);
  killForDrain(ctx, agent);
  checkDrained(ctx, agentId);
}

/** DEACTIVATE_AGENT: no offers for the agent; its tasks are left alone. */
export async function deactivateAgent(ctx: MasterContext, agentId: string): Promise<void> {
  checkKnown(ctx, agentId);
  const existing = ctx.maintenance.get(agentId);
  if (!(await save(ctx, { agentId, deactivated: true, drain: existing?.drain }))) return;
  ctx.logger.info('agent deactivated', { agentId });
  const agent = ctx.agents.get(agentId);
  if (agent) stopOffers(ctx, agent);
}

/** REACTIVATE_AGENT: back to offers (a drain in progress is cancelled: no more kills). */
export async function reactivateAgent(ctx: MasterContext, agentId: string): Promise<void> {
  checkKnown(ctx, agentId);
  if (!ctx.maintenance.has(agentId)) {
    throw new ValidationError('agent_id', `agent '${agentId}' is not deactivated, draining or drained`);
  }
  await ctx.registry.removeDrain(agentId);
  ctx.maintenance.delete(agentId);
  ctx.changes.agent(agentId);
  ctx.logger.info('agent reactivated', { agentId });
  const agent = ctx.agents.get(agentId);
  if (agent) refreshAgentActive(ctx, agent);
  ctx.scheduleAllocation();
}

/** An agent (re-)registered: maintenance re-applied (a draining agent's tasks are killed again). */
export function onAgentRegistered(ctx: MasterContext, agent: AgentRecord): void {
  refreshAgentActive(ctx, agent);
  if (!ctx.maintenance.has(agent.id)) return;
  killForDrain(ctx, agent);
  scheduleDrainCheck(ctx, agent.id);
}

/** Checks soon (after the current change settles) whether a draining agent is drained. */
export function scheduleDrainCheck(ctx: MasterContext, agentId: string): void {
  if (ctx.maintenance.get(agentId)?.drain?.state !== 'DRAINING') return;
  queueMicrotask(() => checkDrained(ctx, agentId));
}

/** DRAINING -> DRAINED once no live task is left (then gone, with mark_gone). */
export function checkDrained(ctx: MasterContext, agentId: string): void {
  const record = ctx.maintenance.get(agentId);
  const agent = ctx.agents.get(agentId);
  if (record?.drain?.state !== 'DRAINING' || !agent || agent.status === 'unreachable' || agent.tasks.size > 0) return;
  const drained: MaintenanceRecord = { ...record, drain: { ...record.drain, state: 'DRAINED' } };
  ctx.maintenance.set(agentId, drained);
  ctx.changes.agent(agentId);
  ctx.logger.info('agent drained', { agentId });
  ctx.registry.putDrain(drained).catch((err: unknown) => {
    ctx.logger.error('registry: could not record the agent as drained', { agentId, error: String(err) });
  });
  if (drained.drain?.config.markGone) removeLiveAgent(ctx, agent, 'it was drained with mark_gone');
}
