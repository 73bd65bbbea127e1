// Leadership at the HTTP edge. Like Chronos, a follower sends API requests
// to the leader: a 307 (method and body kept) to the same path and query on
// the leader's URL. With no leader known it answers 503 with a message,
// never a bare "not the leader".
import type { ChronosService } from '../service/chronos-service.js';
import { message, type Reply } from './http-io.js';

function normalise(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The leader's base URL when another instance leads; undefined when nobody
 * is known to lead. A leader URL equal to this server's own (leadership
 * changing hands) counts as unknown, so a follower never redirects to itself.
 */
export function otherLeader(service: ChronosService, selfUrl: string): string | undefined {
  const url = service.leaderUrl();
  if (url === undefined || url === '') return undefined;
  const base = normalise(url);
  return base === normalise(selfUrl) ? undefined : base;
}

/** The answer of a follower: 307 to `leader` + `rawUrl` (path and query as received), or 503. */
export function toLeader(leader: string | undefined, rawUrl: string): Reply {
  if (leader === undefined) {
    return message(503, 'this Chronos instance is not the leader and no leader is elected yet; retry shortly', {
      'retry-after': '2',
    });
  }
  const path = rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`;
  return { status: 307, headers: { location: `${leader}${path}` } };
}

/** GET /leader, answered locally: `{leader: "host:port"}` as Chronos does, or 503. */
export function leaderReply(service: ChronosService, selfUrl: string): Reply {
  const url = service.isLeader() ? (service.leaderUrl() ?? selfUrl) : service.leaderUrl();
  if (url === undefined || url === '') return message(503, 'no Chronos leader is elected yet; retry shortly');
  try {
    return { status: 200, json: { leader: new URL(url).host } };
  } catch {
    return { status: 200, json: { leader: url } };
  }
}
