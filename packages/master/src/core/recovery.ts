// A newly elected master loads the registry before it serves: agents become
// "recovered" (waiting for them to re-register), frameworks inactive records
// with their failover timers, maintenance and gone records as they were.
// Every timer counts from the election. The agents' own records (one znode
// each in ZooKeeper) are read only once the master serves: it needs their
// IDs to accept their re-registration, not their records, so that agents
// coming back are not held while thousands of records are read.
import { addRecoveredAgent } from './gone-agents.js';
import { addFramework, teardown } from './frameworks.js';
import type { FrameworkRecord, MasterContext } from './types.js';

/** How long a framework from the registry has to re-subscribe after an election. */
export function recoveredFailoverMs(ctx: MasterContext, fw: FrameworkRecord): number {
  // At least agent_reregister_timeout: a master failover is not the framework's failure.
  return Math.max((fw.info.failoverTimeout ?? 0) * 1000, ctx.options.agentReregisterTimeoutMs);
}

function armFailover(ctx: MasterContext, fw: FrameworkRecord, electedAt: number): void {
  const timeoutMs = recoveredFailoverMs(ctx, fw);
  const left = Math.max(0, timeoutMs - (ctx.clock.now() - electedAt));
  fw.failoverTimer = ctx.clock.setTimeout(() => {
    fw.failoverTimer = undefined;
    if (!fw.conn) teardown(ctx, fw, `it did not re-subscribe within ${timeoutMs / 1000} s of the master's election`);
  }, left);
}

/** What a recovery found, for the log. */
export interface RecoverySummary {
  agents: number;
  frameworks: number;
  maintenance: number;
  gone: number;
}

/**
 * Loads the registry into the model. Throws (a RegistryDataError naming the
 * znode, or a ZooKeeper error) when it cannot be read: the master must not lead then.
 */
export async function recoverFromRegistry(ctx: MasterContext): Promise<RecoverySummary> {
  const [agentIds, frameworks, drains, gone] = await Promise.all([
    ctx.registry.agentIds(),
    ctx.registry.frameworks(),
    ctx.registry.drains(),
    ctx.registry.goneAgents(),
  ]);
  const electedAt = ctx.leadership.electedTime ?? ctx.clock.now();
  for (const g of gone) ctx.gone.set(g.agentId, { goneTime: g.goneTime, byOperator: g.byOperator });
  for (const record of drains) if (!ctx.gone.has(record.agentId)) ctx.maintenance.set(record.agentId, record);
  for (const info of frameworks) {
    const id = info.id?.value ?? '';
    if (!id || ctx.frameworks.has(id) || ctx.completedFrameworks.has(id)) continue;
    armFailover(ctx, addFramework(ctx, id, info), electedAt);
  }
  let recovered = 0;
  for (const id of agentIds) {
    if (!id || ctx.agents.has(id) || ctx.recovered.has(id)) continue;
    if (ctx.gone.has(id)) {
      // Marked gone, but the master died before deleting its admission: finish the job.
      ctx.registry.removeAgent(id).catch((err: unknown) => {
        ctx.logger.warn('registry: could not delete a gone agent', { agentId: id, error: String(err) });
      });
      continue;
    }
    addRecoveredAgent(ctx, { id: { value: id } }, electedAt); // its record follows (recoverAgentRecords)
    recovered++;
  }
  return { agents: recovered, frameworks: frameworks.length, maintenance: ctx.maintenance.size, gone: gone.length };
}

/**
 * Reads the admitted agents' records (hostname, resources, the principal
 * each is bound to) into the agents still waiting to re-register; resolves
 * with how many. Throws as {@link recoverFromRegistry} when the registry
 * cannot be read.
 */
export async function recoverAgentRecords(ctx: MasterContext): Promise<number> {
  let filled = 0;
  for (const { info, principal } of await ctx.registry.agents()) {
    const rec = ctx.recovered.get(info.id?.value ?? '');
    if (!rec) continue; // back already (it brought its own info), or gone
    rec.info = info;
    if (!rec.recordRead) rec.principal = principal; // else read already by a re-registration, perhaps since bound
    rec.recordRead = true;
    filled++;
  }
  return filled;
}
