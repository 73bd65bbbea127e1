// /v2/deployments and /v2/queue.
import { UnknownAppError } from '../errors.js';
import type { Reply } from './http-io.js';
import { deploymentReply } from './replies.js';
import { flag, pathId, type Route, type RouteContext } from './router.js';

/**
 * DELETE /v2/deployments/{id}: 200 with the rollback deployment, or 202
 * with no body when forced (the deployment just stops where it is).
 */
async function cancelDeployment({ service, url, params }: RouteContext): Promise<Reply> {
  const result = await service.cancelDeployment(params[0] ?? '', { force: flag(url, 'force') });
  return result === undefined ? { status: 202 } : deploymentReply(result);
}

function resetDelay({ service, params }: RouteContext): Reply {
  const appId = pathId(params[0]);
  if (!service.resetDelay(appId)) throw new UnknownAppError(`Application ${appId} in the launch queue`);
  return { status: 204 };
}

/** The deployment and queue routes. */
export const DEPLOYMENT_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/v2\/deployments$/,
    handler: ({ service }) => ({ status: 200, body: service.deployments() }),
  },
  { method: 'DELETE', pattern: /^\/v2\/deployments\/([^/]+)$/, handler: cancelDeployment },
  {
    method: 'GET',
    pattern: /^\/v2\/queue$/,
    handler: ({ service }) => ({ status: 200, body: { queue: service.queue() } }),
  },
  { method: 'DELETE', pattern: /^\/v2\/queue\/(.+)\/delay$/, handler: resetDelay },
];
