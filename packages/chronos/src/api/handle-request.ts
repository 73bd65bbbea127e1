// One request, start to end: local endpoints (/ping, /leader), the page,
// then the API: route match (404/405), leadership (307 to the leader or
// 503), bounded JSON body (413, 400), the handler, and typed errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@mesocosm/framework-sdk';
import { JobNotAuthorizedError } from '../errors.js';
import type { ChronosService } from '../service/chronos-service.js';
import { uiReply } from '../ui/serve-ui.js';
import type { ApiGuard } from './auth/api-guard.js';
import { asNotLeader, errorReply } from './error-replies.js';
import { drain, MAX_BODY_BYTES, message, readBody, send, type Reply } from './http-io.js';
import { leaderReply, otherLeader, toLeader } from './leader.js';
import { matchRoute, type Route } from './route-table.js';
import { ROUTES } from './routes.js';

/** What every request needs. */
export interface RequestScope {
  readonly service: ChronosService;
  /** This server's own base URL (to never redirect to itself). */
  readonly selfUrl: string;
  readonly logger: Logger;
  readonly routes?: readonly Route[];
  /** Authentication and ACLs; absent: the API is open. */
  readonly guard?: ApiGuard;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  if (text.trim() === '') {
    return { ok: false, reply: message(400, 'the request body is empty: send the job as JSON') };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, reply: message(400, `the request body is not valid JSON (${why}): send the job as JSON`) };
  }
}

async function answer(scope: RequestScope, req: IncomingMessage): Promise<Reply> {
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const url = new URL(rawUrl, 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const { service } = scope;
  const readOnly = method === 'GET' || method === 'HEAD';

  // With credentials configured, everything but /ping authenticates, followers too (before their 307).
  let principal: string | undefined;
  if (scope.guard !== undefined && path !== '/ping') {
    const auth = scope.guard.authenticate(req);
    if ('reply' in auth) {
      drain(req);
      return auth.reply;
    }
    principal = auth.principal;
  }

  if (path === '/ping' || path === '/leader' || uiReply(path) !== undefined) {
    drain(req);
    if (!readOnly) return message(405, `${method} is not allowed on ${path}; use GET`, { allow: 'GET, HEAD' });
    if (path === '/ping') return { status: 200, text: 'pong\n' };
    if (path === '/leader') return leaderReply(service, scope.selfUrl);
    // A follower sends the page to the leader, whose API it polls; with no leader it serves it (showing the 503).
    const leader = service.isLeader() ? undefined : otherLeader(service, scope.selfUrl);
    return leader === undefined ? (uiReply(path) as Reply) : toLeader(leader, rawUrl);
  }

  const match = matchRoute(scope.routes ?? ROUTES, method, path);
  if (match.kind === 'not-api' || match.kind === 'not-found') {
    drain(req);
    return message(404, `no such endpoint: ${method} ${path}; the API is under /v1/scheduler (see /v1/scheduler/jobs)`);
  }
  if (match.kind === 'bad-method') {
    drain(req);
    return message(405, `${method} is not allowed on ${path}; allowed: ${match.allow.join(', ')}`, {
      allow: match.allow.join(', '),
    });
  }
  if (match.kind === 'bad-name') {
    drain(req);
    return message(400, `'${match.segment}' is not a valid URL-encoded job name`);
  }
  if (!service.isLeader()) {
    drain(req);
    return toLeader(otherLeader(service, scope.selfUrl), rawUrl);
  }

  let body: unknown;
  if (match.route.body === true) {
    const read = await readBody(req, MAX_BODY_BYTES);
    if (!read.ok) {
      return message(413, `the request body is ${read.bytes} bytes, more than the ${MAX_BODY_BYTES} a job may take`, {
        connection: 'close',
      });
    }
    const parsed = parseJson(read.text);
    if (!parsed.ok) return parsed.reply;
    body = parsed.value;
  } else drain(req);

  try {
    return await match.route.handle({
      service:
        scope.guard === undefined || principal === undefined ? service : scope.guard.serviceFor(principal, service),
      method: method === 'HEAD' ? 'GET' : method,
      params: match.params,
      query: url.searchParams,
      body,
    });
  } catch (err) {
    const notLeader = asNotLeader(err);
    // Leadership was lost during the call: send the client to whoever leads now.
    if (notLeader !== undefined) return toLeader(notLeader.leaderUrl ?? otherLeader(service, scope.selfUrl), rawUrl);
    const reply = errorReply(err);
    if (err instanceof JobNotAuthorizedError) {
      const { principal: who, action, job } = err;
      scope.logger.info('refused by the ACLs', { method, principal: who, action, job });
    }
    if (reply.status >= 500) scope.logger.error('chronos API request failed', { method, path, error: String(err) });
    return reply;
  }
}

/** Serves one request; never throws (a failure becomes a 500 with its cause). */
export async function handleRequest(scope: RequestScope, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let reply: Reply;
  try {
    reply = await answer(scope, req);
  } catch (err) {
    scope.logger.error('chronos API request failed', { method: req.method, url: req.url, error: String(err) });
    reply = errorReply(err);
  }
  if (res.headersSent || res.destroyed) return;
  send(req, res, reply);
}
