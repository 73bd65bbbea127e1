// The messages of the live feed (feed-types.ts), built from the model and the
// change log's dirty marks: rows only for what changed, never a full-state diff.
import type { ChangeLog } from '../core/change-log.js';
import type { MasterContext } from '../core/types.js';
import type { AllocationSample, FeedMessage, StateSummary } from './feed-types.js';
import { agentRow, frameworkRow, offerRows, taskRow } from './rows.js';
import { mastersOf, masterHttpUrl, stateSummary } from './summary.js';

/** The first message of a feed on the leader. */
export function snapshotMessage(ctx: MasterContext, samples: readonly AllocationSample[]): FeedMessage {
  return {
    type: 'SNAPSHOT',
    summary: stateSummary(ctx),
    agents: [...ctx.agents.values()].map((a) => agentRow(ctx, a)),
    frameworks: [...ctx.frameworks.values()].map((f) => frameworkRow(ctx, f)),
    offers: offerRows(ctx),
    samples: [...samples],
  };
}

/** What a standby sends: who leads ('' while none) and every master of the group. */
export function leaderMessage(ctx: MasterContext): FeedMessage {
  const leader = ctx.leadership.leader;
  return {
    type: 'LEADER',
    leader_url: leader ? masterHttpUrl(leader, ctx.options.httpScheme) : '',
    masters: mastersOf(ctx),
  };
}

/** The summary without what changes every second by itself (uptime), to tell whether it changed. */
export function summaryKey(summary: StateSummary): string {
  return JSON.stringify({ ...summary, uptime_secs: 0 });
}

/**
 * The deltas for what the change log marked (taken from it): AGENTS,
 * FRAMEWORKS, OFFERS and TASKS, in that order. An ID marked but no longer
 * registered is removed (a torn-down framework too).
 */
export function deltaMessages(ctx: MasterContext, marks: ReturnType<ChangeLog['take']>): FeedMessage[] {
  const out: FeedMessage[] = [];
  if (marks.agents.size > 0) {
    const upserted = [];
    const removed: string[] = [];
    for (const id of marks.agents) {
      const agent = ctx.agents.get(id);
      if (agent) upserted.push(agentRow(ctx, agent));
      else removed.push(id);
    }
    out.push({ type: 'AGENTS', upserted, removed });
  }
  if (marks.frameworks.size > 0) {
    const upserted = [];
    const removed: string[] = [];
    for (const id of marks.frameworks) {
      const fw = ctx.frameworks.get(id);
      if (fw) upserted.push(frameworkRow(ctx, fw));
      else removed.push(id);
    }
    out.push({ type: 'FRAMEWORKS', upserted, removed });
  }
  if (marks.offers) out.push({ type: 'OFFERS', offers: offerRows(ctx) });
  if (marks.tasks.size > 0) out.push({ type: 'TASKS', upserted: [...marks.tasks].map((t) => taskRow(ctx, t)) });
  return out;
}
