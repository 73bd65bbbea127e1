// What one feed connection may see of a message (feed-types.ts): the view
// ACLs decided by the connection's viewer (auth/viewer.ts), as /master/state
// decides them. A framework row needs view_frameworks on it; a task row needs
// view_frameworks on its framework and view_tasks on the task (/master/state
// lists tasks only under the frameworks it shows); an offer needs
// view_frameworks on its (registered) framework. Aggregates (SUMMARY, SAMPLE,
// agent rows, a framework row's counts) are not filtered, as
// /master/state-summary and /master/slaves. Rows are looked up by their IDs
// in the model: something no longer there is left out, as the pages would.
// Pure.
import type { Viewer } from '../auth/viewer.js';
import type { FrameworkRecord, MasterContext } from '../core/types.js';
import type { FeedMessage, FrameworkRow, OffersPage, TaskRow } from './feed-types.js';

function frameworkOf(ctx: MasterContext, id: string): FrameworkRecord | undefined {
  return ctx.frameworks.get(id) ?? ctx.completedFrameworks.get(id);
}

/** Whether `viewer` may see framework `id` (registered or completed). */
function seesFramework(ctx: MasterContext, viewer: Viewer, id: string): boolean {
  const fw = frameworkOf(ctx, id);
  return fw !== undefined && viewer.framework(fw.info);
}

/** Whether `viewer` may see the task of a row: its framework, then the task itself. */
function seesTask(ctx: MasterContext, viewer: Viewer, row: TaskRow): boolean {
  const fw = frameworkOf(ctx, row.framework_id);
  if (fw === undefined || !viewer.framework(fw.info)) return false;
  const task = fw.tasks.get(row.id) ?? fw.completedTasks.get(row.id);
  return task !== undefined && viewer.task(fw.info, task.info);
}

function visibleFrameworks(ctx: MasterContext, viewer: Viewer, rows: FrameworkRow[]): FrameworkRow[] {
  return rows.filter((f) => seesFramework(ctx, viewer, f.id));
}

/** Offers of registered frameworks `viewer` may see (as /master/offers and /master/state). */
function visibleOffers(ctx: MasterContext, viewer: Viewer, offers: OffersPage['offers']): OffersPage['offers'] {
  return offers.filter((o) => {
    const fw = ctx.frameworks.get(o.framework_id);
    return fw !== undefined && viewer.framework(fw.info);
  });
}

/**
 * `msg` as `viewer` may see it: without the frameworks, tasks and offers it
 * may not view; undefined when a delta is left with nothing to say (an event
 * about something hidden is not sent at all). A SNAPSHOT and the aggregates
 * are always sent; an OFFERS delta too (it is the whole list: the caller
 * drops one equal to what the client was last sent). `msg` itself when the
 * viewer sees everything.
 */
export function visibleMessage(ctx: MasterContext, msg: FeedMessage, viewer: Viewer): FeedMessage | undefined {
  if (viewer.all) return msg;
  switch (msg.type) {
    case 'SNAPSHOT':
      return {
        ...msg,
        frameworks: visibleFrameworks(ctx, viewer, msg.frameworks),
        offers: visibleOffers(ctx, viewer, msg.offers),
      };
    case 'FRAMEWORKS': {
      const upserted = visibleFrameworks(ctx, viewer, msg.upserted);
      // A removed framework is among the completed ones (if still kept).
      const removed = msg.removed.filter((id) => seesFramework(ctx, viewer, id));
      return upserted.length + removed.length > 0 ? { type: 'FRAMEWORKS', upserted, removed } : undefined;
    }
    case 'OFFERS':
      return { type: 'OFFERS', offers: visibleOffers(ctx, viewer, msg.offers) };
    case 'TASKS': {
      const upserted = msg.upserted.filter((t) => seesTask(ctx, viewer, t));
      return upserted.length > 0 ? { type: 'TASKS', upserted } : undefined;
    }
    case 'LEADER':
    case 'SUMMARY':
    case 'AGENTS':
    case 'SAMPLE':
      return msg;
  }
}
