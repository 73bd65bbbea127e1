// POST /api/v1: Mesos' operator API calls as JSON, for the calls this master
// takes (DRAIN_AGENT, DEACTIVATE_AGENT, REACTIVATE_AGENT, TEARDOWN, GET_STATE).
// A standby redirects (307) to the leader, or answers 503 when none is known.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MesocosmError, ValidationError } from '@mesocosm/protocol';
import type { MasterCore } from '../core/master-core.js';
import { httpStatusOf } from '../errors.js';
import { callFromJson } from './operator-requests.js';

/** The path of the operator API. */
export const API_V1_PATH = '/api/v1';

type Reply = (status: number, body: unknown, headers?: Record<string, string | number>) => void;

/** Reads a request body of at most `limit` bytes (a ValidationError beyond). */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ValidationError('body', `is over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(core: MasterCore, req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim();
  if (type !== 'application/json') {
    throw new ValidationError('content-type', `'${type ?? ''}' is not supported: send application/json`);
  }
  const text = await readBody(req, limit);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new ValidationError('body', `is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const call = callFromJson(body);
  switch (call.type) {
    case 'DRAIN_AGENT':
      await core.drainAgent(call.agentId, call.config);
      return {};
    case 'DEACTIVATE_AGENT':
      await core.deactivateAgent(call.agentId);
      return {};
    case 'REACTIVATE_AGENT':
      await core.reactivateAgent(call.agentId);
      return {};
    case 'TEARDOWN':
      core.teardown(call.frameworkId);
      return {};
    case 'GET_STATE':
      return { type: 'GET_STATE', get_state: core.state() };
  }
}

/** Serves one POST /api/v1. */
export function serveApiCall(
  core: MasterCore,
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
  limit: number,
): void {
  if (!core.leading) {
    req.resume();
    const leader = core.leaderHttpUrl();
    if (leader === undefined) return reply(503, { error: 'no master is elected yet; retry shortly' });
    res.writeHead(307, { location: `${leader}${API_V1_PATH}`, 'content-length': 0 });
    res.end();
    return;
  }
  handle(core, req, limit).then(
    (body) => reply(200, body),
    (err: unknown) => {
      const code = err instanceof MesocosmError ? err.code : 'INTERNAL';
      const status = httpStatusOf(code);
      reply(
        status,
        { error: err instanceof Error ? err.message : String(err), code },
        status === 503 ? { 'retry-after': 1 } : {},
      );
    },
  );
}
