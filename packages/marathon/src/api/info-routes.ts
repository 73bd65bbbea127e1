// What every instance answers itself, leader or not: /ping, /v2/leader and
// the web page (whose data requests are then proxied like any other).
import type { ServerResponse } from 'node:http';
import type { MarathonService } from '../service/marathon-service.js';
import { uiAsset } from '../ui/index.js';
import { HttpError } from './http-error.js';
import { send, type Reply } from './http-io.js';
import { hostPort } from './leader-proxy.js';

/** The leader's `host:port`: this instance's when it leads and the service names nobody. */
export function leaderHostPort(service: MarathonService, selfUrl: string): string | undefined {
  const url = service.leaderUrl() ?? (service.isLeader() ? selfUrl : undefined);
  return url === undefined ? undefined : hostPort(url);
}

function localReply(service: MarathonService, selfUrl: string, path: string): Reply | undefined {
  if (path === '/ping') return { status: 200, text: 'pong\n' };
  if (path === '/v2/leader') {
    const leader = leaderHostPort(service, selfUrl);
    if (leader === undefined) throw new HttpError(404, 'There is no leader');
    return { status: 200, body: { leader } };
  }
  const asset = uiAsset(path);
  if (asset !== undefined) return { status: 200, text: asset.text, headers: { 'content-type': asset.contentType } };
  return undefined;
}

/**
 * Answers `method path` when it is local; returns false when the request
 * must go on to the leader's routes. Only GET and HEAD are local.
 */
export function serveLocal(
  service: MarathonService,
  selfUrl: string,
  method: string,
  path: string,
  res: ServerResponse,
): boolean {
  const reply = localReply(service, selfUrl, path);
  if (reply === undefined) return false;
  if (method !== 'GET' && method !== 'HEAD') {
    throw new HttpError(405, `Method ${method} is not allowed on ${path}; use GET`, { allow: 'GET, HEAD' });
  }
  send(res, reply, method === 'HEAD');
  return true;
}
