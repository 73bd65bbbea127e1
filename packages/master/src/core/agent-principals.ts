// Which principal an agent ID belongs to (with --authenticate_agents): the one
// it was admitted under, kept on its record and in the registry (so that it
// survives a failover). A registration that names the ID under another
// principal is refused with PERMISSION_DENIED: one agent cannot take over
// another's ID, and with it its tasks. A record without a principal (written
// without authentication, or before the binding existed) is bound by the next
// registration that names it. Without --authenticate_agents nothing is checked
// and bindings already recorded are kept as they are.
import type { AgentIdClaim, MasterContext } from './types.js';

/** The denial counter of a refused registration: `master/authorization/denied/reregister_agents`. */
export const AGENT_ID_DENIAL = 'reregister_agents';

/** The principal `agentId` is bound to, as far as the master knows now (undefined: unbound). */
function boundPrincipal(ctx: MasterContext, agentId: string): string | undefined {
  return (
    ctx.agents.get(agentId)?.principal ??
    ctx.recovered.get(agentId)?.principal ??
    ctx.agentClaims.get(agentId)?.principal
  );
}

/**
 * Whether the binding of `agentId` must be read from the registry before a
 * registration can be checked: an agent known after a failover only by its
 * ID, whose record the new leader has not read yet.
 */
export function bindingUnread(ctx: MasterContext, agentId: string): boolean {
  if (!ctx.auth.required('agents') || ctx.agents.has(agentId)) return false;
  const rec = ctx.recovered.get(agentId);
  return rec !== undefined && !rec.recordRead;
}

/** Reads that binding (see {@link bindingUnread}) into the recovered agent. Throws when the registry cannot be read. */
export async function readBinding(ctx: MasterContext, agentId: string): Promise<void> {
  const admitted = await ctx.registry.agent(agentId);
  const rec = ctx.recovered.get(agentId);
  if (!rec || rec.recordRead) return; // settled or gone meanwhile, or the records were read meanwhile
  rec.principal = admitted?.principal;
  rec.recordRead = true;
}

/** A registration's hold on an agent ID (see {@link claimAgentId}). */
export interface HeldAgentId {
  readonly agentId: string;
  readonly claim: AgentIdClaim;
}

/**
 * Checks that `principal` may register as `agentId` and holds the ID for it
 * until {@link releaseAgentId}, so that a concurrent registration under
 * another principal is refused too. Without --authenticate_agents nothing is
 * checked (undefined). Throws a PermissionDeniedError (counted as
 * {@link AGENT_ID_DENIAL}) naming both principals.
 */
export function claimAgentId(
  ctx: MasterContext,
  agentId: string,
  principal: string | undefined,
): HeldAgentId | undefined {
  if (!ctx.auth.required('agents')) return undefined;
  const bound = boundPrincipal(ctx, agentId);
  if (bound !== undefined && bound !== principal) {
    ctx.logger.warn('agent registration refused: the agent ID belongs to another principal', {
      agentId,
      principal,
      boundTo: bound,
    });
    throw ctx.auth.denied(
      AGENT_ID_DENIAL,
      principal,
      `register as agent ${agentId}`,
      `the agent ID binding (agent ${agentId} was admitted under principal '${bound}', and an agent ID stays with ` +
        `the principal it was admitted under: start that agent with the credential of '${bound}', or REGISTER this one as a new agent)`,
    );
  }
  const claim = ctx.agentClaims.get(agentId) ?? { principal, holders: 0 };
  claim.holders++;
  ctx.agentClaims.set(agentId, claim);
  return { agentId, claim };
}

/** The registration that held the ID is done (registered or abandoned). */
export function releaseAgentId(ctx: MasterContext, held: HeldAgentId): void {
  held.claim.holders--;
  if (held.claim.holders <= 0 && ctx.agentClaims.get(held.agentId) === held.claim) ctx.agentClaims.delete(held.agentId);
}

/**
 * The principal to record for `agentId` when `principal` registers it: its
 * own with --authenticate_agents (checked by {@link claimAgentId}), else the
 * binding already known, kept but not enforced.
 */
export function principalToRecord(
  ctx: MasterContext,
  agentId: string,
  principal: string | undefined,
): string | undefined {
  if (ctx.auth.required('agents')) return principal ?? boundPrincipal(ctx, agentId);
  return ctx.agents.get(agentId)?.principal ?? ctx.recovered.get(agentId)?.principal;
}
