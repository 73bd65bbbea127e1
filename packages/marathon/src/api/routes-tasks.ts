// /v2/tasks: every task (JSON, or text/plain for load balancers) and bulk kill.
import type { Json } from '../service/marathon-service.js';
import { HttpError } from './http-error.js';
import type { Reply } from './http-io.js';
import { killReply, wantsText } from './replies.js';
import { flag, jsonBody, type Route, type RouteContext } from './router.js';
import { renderTasksText } from './tasks-text.js';

/** `?status=running&status=staging` (repeatable; none means every task). */
function tasksByStatus(ctx: RouteContext): Json[] {
  const statuses = ctx.url.searchParams
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (statuses.length === 0) return ctx.service.tasks();
  const seen = new Set<unknown>();
  const out: Json[] = [];
  for (const status of statuses) {
    for (const task of ctx.service.tasks(status)) {
      if (seen.has(task['id'])) continue;
      seen.add(task['id']);
      out.push(task);
    }
  }
  return out;
}

function listTasks(ctx: RouteContext): Reply {
  const tasks = tasksByStatus(ctx);
  if (wantsText(ctx.req.headers.accept)) {
    return { status: 200, text: renderTasksText(ctx.service.listApps(), tasks) };
  }
  return { status: 200, body: { tasks } };
}

/** POST /v2/tasks/delete with `{ids: [...]}`. */
async function deleteTasks(ctx: RouteContext): Promise<Reply> {
  const body = jsonBody(ctx, '{"ids": ["<task id>", ...]}');
  const ids = typeof body === 'object' && body !== null ? (body as Json)['ids'] : undefined;
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) {
    throw new HttpError(400, 'Request body must be {"ids": [...]} with task ids as strings');
  }
  const options = { force: flag(ctx.url, 'force'), scale: flag(ctx.url, 'scale'), wipe: flag(ctx.url, 'wipe') };
  return killReply(await ctx.service.killTasks(ids, options));
}

/** The /v2/tasks routes. */
export const TASK_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/v2\/tasks$/, handler: listTasks },
  { method: 'POST', pattern: /^\/v2\/tasks\/delete$/, handler: deleteTasks },
];
