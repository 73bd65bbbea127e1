// GET /master/agents/{agent_id}/files/{browse,read,download}?path=...: the
// sandbox files of a task, read through the master (so that the web UI needs
// only the master's origin). The request goes to the agent's recorded HTTP
// URL, `/files/<verb>` with the same query, and the answer streams back. Only
// that URL is ever contacted: redirects are passed on without their target.
// An agent serving HTTPS is verified against the master's --tls-ca.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { httpsClientOptions } from '@mesocosm/protocol';
import { agentUrl } from '../core/offer-lifecycle.js';
import type { MasterContext } from '../core/types.js';

/** Matches a files path: agent ID and verb. */
const FILES_PATH = /^\/master\/(?:agents|slaves)\/([^/]+)\/files\/(browse|read|download)$/;

/** How long the agent may take to start answering. */
export const FILES_PROXY_TIMEOUT_MS = 10_000;

/** Headers passed back from the agent. */
const PASSED = ['content-type', 'content-length', 'content-disposition', 'last-modified', 'cache-control'];

type Reply = (status: number, body: unknown) => void;

/** The agent ID and verb of a files path, or undefined when `path` is not one. */
export function filesRoute(path: string): { agentId: string; verb: string } | undefined {
  const m = FILES_PATH.exec(path);
  if (!m?.[1] || !m[2]) return undefined;
  let agentId: string;
  try {
    agentId = decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
  return { agentId, verb: m[2] };
}

/** Proxies one files request to the agent. */
export function proxyFiles(
  ctx: MasterContext,
  route: { agentId: string; verb: string },
  search: string,
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
): void {
  const agent = ctx.agents.get(route.agentId);
  if (!agent) return reply(404, { error: `no agent '${route.agentId}' is known to this master` });
  const path = new URLSearchParams(search).get('path') ?? '';
  if (path.split('/').includes('..') || path.includes('\0')) {
    return reply(403, { error: `path: '${path}' leaves the sandboxes ('..' is not allowed)` });
  }
  const base = agentUrl(agent);
  const target = new URL(`/files/${route.verb}${search}`, base);
  const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
  const upstream =
    target.protocol === 'https:'
      ? httpsRequest(target, { method, timeout: FILES_PROXY_TIMEOUT_MS, ...httpsClientOptions(ctx.options.tls) })
      : request(target, { method, timeout: FILES_PROXY_TIMEOUT_MS });
  const fail = (why: string): void => {
    if (!res.headersSent) reply(502, { error: `agent ${agent.id} at ${base} did not answer: ${why}` });
    else res.destroy();
  };
  upstream.on('timeout', () => upstream.destroy(new Error(`no answer within ${FILES_PROXY_TIMEOUT_MS} ms`)));
  upstream.on('error', (err) => fail(err.message));
  upstream.on('response', (answer) => {
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    for (const name of PASSED) {
      const value = answer.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, headers);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  // The client left: stop reading from the agent.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.end();
}
