// Offers: made from the allocator's allocations, removed when used, declined,
// rescinded (timeout, framework gone, agent gone).
import { EventType, type IOffer, type Resources } from '@mesocosm/protocol';
import type { Allocation } from '../allocator/index.js';
import type { OutstandingOffer } from '../offers/index.js';
import { sendToFramework } from './send.js';
import type { AgentRecord, MasterContext } from './types.js';

/** The HTTP base URL of an agent (sandboxes), as put in offers: `https://` when the agent says it serves TLS. */
export function agentUrl(agent: AgentRecord): string {
  const scheme = agent.info.scheme === 'https' ? 'https' : 'http';
  const host = agent.info.ip || agent.info.hostname || '';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${agent.info.port ?? 0}`;
}

/** The wire form of a booked offer. */
export function offerToProto(ctx: MasterContext, entry: OutstandingOffer): IOffer {
  const agent = ctx.agents.get(entry.agentId);
  return {
    id: { value: entry.offerId },
    frameworkId: { value: entry.frameworkId },
    agentId: { value: entry.agentId },
    hostname: agent?.info.hostname ?? '',
    resources: entry.resources.toProto(),
    attributes: agent?.info.attributes ?? [],
    allocationRole: entry.role,
    url: agent ? agentUrl(agent) : '',
  };
}

/** Hands resources back to the allocator, logging (never throwing) if it disagrees. */
export function recover(
  ctx: MasterContext,
  frameworkId: string,
  agentId: string,
  resources: Resources,
  refuseSeconds: number,
  role?: string,
): void {
  if (resources.isEmpty()) return;
  const fw = ctx.frameworks.get(frameworkId);
  const agent = ctx.agents.get(agentId);
  if (!fw?.inAllocator || !agent?.inAllocator) return;
  try {
    ctx.allocator.recoverResources(frameworkId, agentId, resources, refuseSeconds, role);
  } catch (err) {
    ctx.logger.error('allocator refused to recover resources', {
      frameworkId,
      agentId,
      resources: resources.toString(),
      error: String(err),
    });
  }
  ctx.scheduleAllocation();
}

/** Turns allocations into offers and sends one OFFERS event per framework. */
export function makeOffers(ctx: MasterContext, allocations: readonly Allocation[]): void {
  const byFramework = new Map<string, IOffer[]>();
  const now = ctx.clock.now();
  for (const a of allocations) {
    const fw = ctx.frameworks.get(a.frameworkId);
    const agent = ctx.agents.get(a.agentId);
    const deactivated = ctx.maintenance.get(a.agentId)?.deactivated === true;
    // Self-healing: never offer (nor re-allocate in a loop) a deactivated agent.
    if (deactivated) ctx.allocator.setAgentActive(a.agentId, false);
    if (!fw?.active || !fw.conn || agent?.status !== 'connected' || deactivated) {
      recover(ctx, a.frameworkId, a.agentId, a.resources, 0, a.role);
      continue;
    }
    const entry: OutstandingOffer = {
      offerId: `${ctx.info.id ?? ''}-O${++ctx.sequence.offer}`,
      frameworkId: a.frameworkId,
      agentId: a.agentId,
      role: a.role,
      resources: a.resources,
      createdAt: now,
    };
    ctx.offers.add(entry);
    const list = byFramework.get(a.frameworkId) ?? [];
    list.push(offerToProto(ctx, entry));
    byFramework.set(a.frameworkId, list);
  }
  for (const [frameworkId, offers] of byFramework) {
    const fw = ctx.frameworks.get(frameworkId);
    if (fw) sendToFramework(ctx, fw, { type: EventType.OFFERS, offers: { offers } });
    ctx.counters.offersSent += offers.length;
  }
  if (byFramework.size > 0) ctx.armOfferTimeout();
}

/**
 * Removes an outstanding offer. `recoverIt`: give its resources back to the
 * allocator; `notify`: tell the framework (RESCIND).
 */
export function rescindOffer(ctx: MasterContext, entry: OutstandingOffer, recoverIt: boolean, notify: boolean): void {
  ctx.offers.remove(entry.offerId);
  ctx.counters.offersRescinded++;
  if (recoverIt) recover(ctx, entry.frameworkId, entry.agentId, entry.resources, 0, entry.role);
  const fw = ctx.frameworks.get(entry.frameworkId);
  if (notify && fw)
    sendToFramework(ctx, fw, { type: EventType.RESCIND, rescind: { offerId: { value: entry.offerId } } });
}

/** Rescinds every offer of a framework (resources recovered). */
export function rescindFrameworkOffers(ctx: MasterContext, frameworkId: string, notify: boolean): void {
  for (const entry of [...ctx.offers.byFramework(frameworkId)]) rescindOffer(ctx, entry, true, notify);
}

/** Rescinds every offer on an agent; `recoverIt` is false when the agent leaves the allocator. */
export function rescindAgentOffers(ctx: MasterContext, agentId: string, recoverIt: boolean): void {
  for (const entry of [...ctx.offers.byAgent(agentId)]) rescindOffer(ctx, entry, recoverIt, true);
}

/** Rescinds offers older than the offer timeout. */
export function expireOffers(ctx: MasterContext): void {
  if (ctx.options.offerTimeoutMs <= 0) return;
  for (const entry of [...ctx.offers.expired(ctx.clock.now(), ctx.options.offerTimeoutMs)]) {
    ctx.logger.debug('offer timed out', { offerId: entry.offerId, frameworkId: entry.frameworkId });
    rescindOffer(ctx, entry, true, true);
  }
}
