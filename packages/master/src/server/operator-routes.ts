// The operator pages of the web UI and the CLI (views/feed-types.ts):
// GET /master/state-summary, /master/slaves (/master/agents),
// /master/frameworks, /master/tasks, /master/offers, /master/maintenance,
// and POST /master/teardown. A standby answers /master/state-summary itself
// (it names the leader) and redirects the others to the leader (307).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MesocosmError, ValidationError } from '@mesocosm/protocol';
import type { Viewer } from '../auth/viewer.js';
import type { MasterCore } from '../core/master-core.js';
import type { FrameworkRecord } from '../core/types.js';
import { httpStatusOf } from '../errors.js';
import type { AgentsPage, FrameworksPage, OffersPage } from '../views/feed-types.js';
import { maintenancePage } from '../views/maintenance-json.js';
import { agentRow, frameworkRow, offerRows } from '../views/rows.js';
import { stateSummary } from '../views/summary.js';
import { parseTasksQuery, tasksPage } from '../views/tasks-query.js';
import { errorAnswer, readBody } from './http-api.js';

/** The path of the teardown endpoint. */
export const TEARDOWN_PATH = '/master/teardown';

type Reply = (status: number, body: unknown, headers?: Record<string, string | number>) => void;

/** The pages; those that list frameworks, tasks or offers leave out what `viewer` may not see (view_* ACLs). */
const PAGES: Record<string, (core: MasterCore, query: URLSearchParams, viewer: Viewer) => unknown> = {
  '/master/state-summary': (core) => stateSummary(core.ctx),
  '/master/slaves': (core) => agentsPage(core),
  '/master/agents': (core) => agentsPage(core),
  '/master/frameworks': (core, _query, viewer): FrameworksPage => {
    const shown = (f: FrameworkRecord): boolean => viewer.all || viewer.framework(f.info);
    return {
      frameworks: [...core.ctx.frameworks.values()].filter(shown).map((f) => frameworkRow(core.ctx, f)),
      completed_frameworks: [...core.ctx.completedFrameworks.values()]
        .filter(shown)
        .map((f) => frameworkRow(core.ctx, f)),
    };
  },
  '/master/tasks': (core, query, viewer) => tasksPage(core.ctx, parseTasksQuery(query), viewer),
  '/master/offers': (core, _query, viewer): OffersPage => {
    const offers = offerRows(core.ctx);
    if (viewer.all) return { offers };
    const shown = (id: string): boolean => {
      const f = core.ctx.frameworks.get(id);
      return f !== undefined && viewer.framework(f.info);
    };
    return { offers: offers.filter((o) => shown(o.framework_id)) };
  },
  '/master/maintenance': (core) => maintenancePage(core.ctx),
};

/** Pages a standby answers itself rather than redirecting to the leader. */
const STANDBY_ANSWERS = new Set(['/master/state-summary']);

function agentsPage(core: MasterCore): AgentsPage {
  return { slaves: [...core.ctx.agents.values()].map((a) => agentRow(core.ctx, a)) };
}

/** Whether `path` is an operator page served by {@link serveOperatorPage}. */
export function isOperatorPage(path: string): boolean {
  return path in PAGES;
}

/** 307 to the same path and query on the leader (503 while none is known); false when we lead. */
export function redirectToLeader(core: MasterCore, url: string, res: ServerResponse, reply: Reply): boolean {
  if (core.leading) return false;
  const leader = core.leaderHttpUrl();
  if (leader === undefined) {
    reply(503, { error: 'this master is a standby and no leader is elected yet; retry shortly' }, { 'retry-after': 1 });
    return true;
  }
  res.writeHead(307, { location: `${leader}${url}`, 'content-length': 0 });
  res.end();
  return true;
}

/** Serves one GET of an operator page to `principal`; a bad query gets 400 naming the parameter. */
export function serveOperatorPage(
  core: MasterCore,
  path: string,
  url: URL,
  res: ServerResponse,
  reply: Reply,
  principal?: string,
): void {
  const page = PAGES[path];
  if (!page) return reply(404, { error: `no such endpoint: ${path}` });
  if (!STANDBY_ANSWERS.has(path) && redirectToLeader(core, `${url.pathname}${url.search}`, res, reply)) return;
  try {
    reply(200, page(core, url.searchParams, core.viewer(principal)), { 'access-control-allow-origin': '*' });
  } catch (err) {
    if (!(err instanceof MesocosmError)) throw err;
    reply(httpStatusOf(err.code), { error: err.message, code: err.code });
  }
}

/** The framework ID of a teardown body: a form or JSON, `framework_id` or `frameworkId` (Mesos' name). */
function frameworkIdOf(type: string, text: string): string {
  let value: unknown;
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new ValidationError('body', `is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    value = obj['framework_id'] ?? obj['frameworkId'];
    if (typeof value === 'object' && value !== null) value = (value as { value?: unknown }).value;
  } else if (type === 'application/x-www-form-urlencoded' || type === '') {
    const form = new URLSearchParams(text);
    value = form.get('framework_id') ?? form.get('frameworkId');
  } else {
    throw new ValidationError('content-type', `'${type}' is not supported: send a form or application/json`);
  }
  if (typeof value !== 'string' || value === '') {
    throw new ValidationError(
      'framework_id',
      'is required: POST framework_id=<ID> as a form, or {"framework_id":"<ID>"}',
    );
  }
  return value;
}

/**
 * POST /master/teardown: tears the framework down (its tasks killed); 200 `{}`
 * once done. `principal`: the operator, checked against teardown_frameworks.
 */
export function serveTeardown(
  core: MasterCore,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
  limit: number,
  principal?: string,
): void {
  if (!core.leading) {
    req.resume();
    redirectToLeader(core, `${url.pathname}${url.search}`, res, reply);
    return;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  readBody(req, limit)
    .then((text) => {
      core.teardown(frameworkIdOf(type, text), principal);
      reply(200, {});
    })
    .catch((err: unknown) => {
      const { status, body, headers } = errorAnswer(err);
      reply(status, body, headers);
    });
}
