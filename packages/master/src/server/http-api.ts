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

/** A request body over the limit: answered 413, the connection closed. */
export class BodyTooLargeError extends ValidationError {
  constructor(limit: number) {
    super('body', `is over ${limit} bytes; send a smaller request`);
  }
}

// An oversized body is still read (and dropped) up to this many bytes, so
// that the client sees the 413 rather than a reset; beyond it the
// connection is cut.
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Reads a request body of at most `limit` bytes; past that rejects with a
 * {@link BodyTooLargeError} at once and drops the rest as it arrives.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) req.destroy();
      else if (size > limit && !over) {
        over = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
      } else if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The HTTP status and headers of a failed operator call. */
export function errorAnswer(err: unknown): { status: number; body: unknown; headers: Record<string, string | number> } {
  const code = err instanceof MesocosmError ? err.code : 'INTERNAL';
  const body = { error: err instanceof Error ? err.message : String(err), code };
  if (err instanceof BodyTooLargeError) return { status: 413, body, headers: { connection: 'close' } };
  const status = httpStatusOf(code);
  return { status, body, headers: status === 503 ? { 'retry-after': 1 } : {} };
}

async function handle(
  core: MasterCore,
  req: IncomingMessage,
  limit: number,
  principal: string | undefined,
): Promise<unknown> {
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
      await core.drainAgent(call.agentId, call.config, principal);
      return {};
    case 'DEACTIVATE_AGENT':
      await core.deactivateAgent(call.agentId, principal);
      return {};
    case 'REACTIVATE_AGENT':
      await core.reactivateAgent(call.agentId, principal);
      return {};
    case 'TEARDOWN':
      core.teardown(call.frameworkId, principal);
      return {};
    case 'GET_STATE':
      return { type: 'GET_STATE', get_state: core.state(core.viewer(principal)) };
  }
}

/** Serves one POST /api/v1 for the operator `principal` (undefined: anonymous). */
export function serveApiCall(
  core: MasterCore,
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
  limit: number,
  principal?: string,
): void {
  if (!core.leading) {
    req.resume();
    const leader = core.leaderHttpUrl();
    if (leader === undefined) return reply(503, { error: 'no master is elected yet; retry shortly' });
    res.writeHead(307, { location: `${leader}${API_V1_PATH}`, 'content-length': 0 });
    res.end();
    return;
  }
  handle(core, req, limit, principal).then(
    (body) => reply(200, body),
    (err: unknown) => {
      const { status, body, headers } = errorAnswer(err);
      reply(status, body, headers);
    },
  );
}
