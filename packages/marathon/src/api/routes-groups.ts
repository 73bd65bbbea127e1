// /v2/groups: the group tree. POST creates (the id comes from the body,
// relative to the group in the path); PUT creates or updates.
import { AppValidationError, UnknownAppError } from '../errors.js';
import { resolveId } from '../model/path-id.js';
import type { Json } from '../service/marathon-service.js';
import type { Reply } from './http-io.js';
import { deploymentReply } from './replies.js';
import { flag, jsonBody, pathId, type Route, type RouteContext } from './router.js';

const GROUP = 'a group definition';

function getGroup({ service, params }: RouteContext): Reply {
  const id = pathId(params[0]);
  const group = service.getGroup(id);
  if (group === undefined) throw new UnknownAppError(`Group '${id}'`);
  return { status: 200, body: group };
}

async function createGroup(ctx: RouteContext): Promise<Reply> {
  const base = pathId(ctx.params[0]);
  const json = jsonBody(ctx, GROUP);
  const rawId = typeof json === 'object' && json !== null ? (json as Json)['id'] : undefined;
  if (typeof rawId !== 'string') {
    throw new AppValidationError([{ path: '/id', errors: ['must be given: the id of the group to create'] }]);
  }
  const resolved = resolveId(rawId, base);
  if (!resolved.ok) throw new AppValidationError([{ path: '/id', errors: [resolved.message] }]);
  const result = await ctx.service.putGroup(resolved.id, json, { force: flag(ctx.url, 'force'), create: true });
  return deploymentReply(result, 201, { location: `/v2/groups${resolved.id}` });
}

async function putGroup(ctx: RouteContext): Promise<Reply> {
  const id = pathId(ctx.params[0]);
  return deploymentReply(await ctx.service.putGroup(id, jsonBody(ctx, GROUP), { force: flag(ctx.url, 'force') }));
}

async function deleteGroup({ service, url, params }: RouteContext): Promise<Reply> {
  return deploymentReply(await service.deleteGroup(pathId(params[0]), { force: flag(url, 'force') }));
}

/** The /v2/groups routes; the optional group id captures everything after /v2/groups. */
export const GROUP_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/v2\/groups(?:\/(.*))?$/, handler: getGroup },
  { method: 'POST', pattern: /^\/v2\/groups(?:\/(.*))?$/, handler: createGroup },
  { method: 'PUT', pattern: /^\/v2\/groups(?:\/(.*))?$/, handler: putGroup },
  { method: 'DELETE', pattern: /^\/v2\/groups(?:\/(.*))?$/, handler: deleteGroup },
];
