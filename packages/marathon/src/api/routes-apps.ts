// /v2/apps: list, create, bulk update, and per app (ids contain `/`, so the
// id is everything up to a known suffix: /versions, /restart, /tasks).
import { UnknownAppError } from '../errors.js';
import type { AppFilter, Json } from '../service/marathon-service.js';
import type { Reply } from './http-io.js';
import { deploymentReply, killReply, parseEmbed, wantsText } from './replies.js';
import { flag, jsonBody, pathId, type Route, type RouteContext } from './router.js';
import { renderTasksText } from './tasks-text.js';

const APP = 'an app definition';

function listApps({ service, url }: RouteContext): Reply {
  const filter: AppFilter = { embed: parseEmbed(url) };
  for (const key of ['id', 'cmd', 'label'] as const) {
    const value = url.searchParams.get(key);
    if (value !== null) filter[key] = value;
  }
  return { status: 200, body: { apps: service.listApps(filter) } };
}

async function createApp(ctx: RouteContext): Promise<Reply> {
  const app = await ctx.service.createApp(jsonBody(ctx, APP));
  const headers: Record<string, string> = {};
  if (typeof app['id'] === 'string') headers['location'] = `/v2/apps${app['id']}`;
  const deployments = app['deployments'];
  const first: unknown = Array.isArray(deployments) ? deployments[0] : undefined;
  if (typeof first === 'object' && first !== null && typeof (first as Json)['id'] === 'string') {
    headers['marathon-deployment-id'] = (first as Json)['id'] as string;
  }
  return { status: 201, body: app, headers };
}

/**
 * PATCH merges; PUT merges too unless `?partialUpdate=false` (Marathon 1.5+: a PUT of
 * `{"instances": 8}` scales, it does not reset every other field to its default).
 */
function isPartial(method: 'PUT' | 'PATCH', url: URL): boolean {
  return method === 'PATCH' || url.searchParams.get('partialUpdate')?.toLowerCase() !== 'false';
}

function updateApps(method: 'PUT' | 'PATCH') {
  return async (ctx: RouteContext): Promise<Reply> => {
    const body = jsonBody(ctx, 'an array of app definitions');
    const partial = isPartial(method, ctx.url);
    return deploymentReply(await ctx.service.updateApps(body, { force: flag(ctx.url, 'force'), partial }));
  };
}

function requireApp(ctx: RouteContext, id: string): void {
  if (ctx.service.getApp(id) === undefined) throw new UnknownAppError(`App '${id}'`);
}

function getApp({ service, url, params }: RouteContext): Reply {
  const id = pathId(params[0]);
  const app = service.getApp(id, parseEmbed(url));
  if (app === undefined) throw new UnknownAppError(`App '${id}'`);
  return { status: 200, body: { app } };
}

function updateApp(method: 'PUT' | 'PATCH') {
  return async (ctx: RouteContext): Promise<Reply> => {
    const id = pathId(ctx.params[0]);
    const partial = isPartial(method, ctx.url);
    const result = await ctx.service.updateApp(id, jsonBody(ctx, APP), { force: flag(ctx.url, 'force'), partial });
    return deploymentReply(result);
  };
}

async function deleteApp({ service, url, params }: RouteContext): Promise<Reply> {
  return deploymentReply(await service.deleteApp(pathId(params[0]), { force: flag(url, 'force') }));
}

async function restartApp({ service, url, params }: RouteContext): Promise<Reply> {
  return deploymentReply(await service.restartApp(pathId(params[0]), { force: flag(url, 'force') }));
}

function versions(ctx: RouteContext): Reply {
  const id = pathId(ctx.params[0]);
  const list = ctx.service.appVersions(id);
  if (list.length === 0) requireApp(ctx, id);
  return { status: 200, body: { versions: list } };
}

function version(ctx: RouteContext): Reply {
  const id = pathId(ctx.params[0]);
  const v = ctx.params[1] ?? '';
  const app = ctx.service.appVersion(id, v);
  if (app === undefined) throw new UnknownAppError(`App '${id}' in version '${v}'`);
  return { status: 200, body: app };
}

function appTasks(ctx: RouteContext): Reply {
  const id = pathId(ctx.params[0]);
  const tasks = ctx.service.appTasks(id);
  if (tasks === undefined) throw new UnknownAppError(`App '${id}'`);
  if (wantsText(ctx.req.headers.accept)) {
    const app = ctx.service.getApp(id);
    return { status: 200, text: renderTasksText(app === undefined ? [] : [app], tasks) };
  }
  return { status: 200, body: { tasks } };
}

function killOptions(url: URL): { force: boolean; scale: boolean; wipe: boolean } {
  return { force: flag(url, 'force'), scale: flag(url, 'scale'), wipe: flag(url, 'wipe') };
}

/** DELETE /v2/apps/{id}/tasks[?host=]: kills every task of the app (on that host). */
async function killAppTasks(ctx: RouteContext): Promise<Reply> {
  const id = pathId(ctx.params[0]);
  const tasks = ctx.service.appTasks(id);
  if (tasks === undefined) throw new UnknownAppError(`App '${id}'`);
  const host = ctx.url.searchParams.get('host');
  const ids = tasks.filter((t) => host === null || host === '*' || t['host'] === host).map((t) => String(t['id']));
  return killReply(await ctx.service.killTasks(ids, killOptions(ctx.url)));
}

/** DELETE /v2/apps/{id}/tasks/{taskId}: the task must belong to the app. */
async function killAppTask(ctx: RouteContext): Promise<Reply> {
  const id = pathId(ctx.params[0]);
  const taskId = ctx.params[1] ?? '';
  const tasks = ctx.service.appTasks(id);
  if (tasks === undefined) throw new UnknownAppError(`App '${id}'`);
  if (!tasks.some((t) => t['id'] === taskId)) throw new UnknownAppError(`Task '${taskId}' of app '${id}'`);
  return killReply(await ctx.service.killTasks([taskId], killOptions(ctx.url)), true);
}

/** The /v2/apps routes, most specific suffix first. */
export const APP_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/v2\/apps$/, handler: listApps },
  { method: 'POST', pattern: /^\/v2\/apps$/, handler: createApp },
  { method: 'PUT', pattern: /^\/v2\/apps$/, handler: updateApps('PUT') },
  { method: 'PATCH', pattern: /^\/v2\/apps$/, handler: updateApps('PATCH') },
  { method: 'GET', pattern: /^\/v2\/apps\/(.+)\/versions\/([^/]+)$/, handler: version },
  { method: 'GET', pattern: /^\/v2\/apps\/(.+)\/versions$/, handler: versions },
  { method: 'POST', pattern: /^\/v2\/apps\/(.+)\/restart$/, handler: restartApp },
  { method: 'GET', pattern: /^\/v2\/apps\/(.+)\/tasks$/, handler: appTasks },
  { method: 'DELETE', pattern: /^\/v2\/apps\/(.+)\/tasks$/, handler: killAppTasks },
  { method: 'DELETE', pattern: /^\/v2\/apps\/(.+)\/tasks\/([^/]+)$/, handler: killAppTask },
  { method: 'GET', pattern: /^\/v2\/apps\/(.+)$/, handler: getApp },
  { method: 'PUT', pattern: /^\/v2\/apps\/(.+)$/, handler: updateApp('PUT') },
  { method: 'PATCH', pattern: /^\/v2\/apps\/(.+)$/, handler: updateApp('PATCH') },
  { method: 'DELETE', pattern: /^\/v2\/apps\/(.+)$/, handler: deleteApp },
];
