// Who an HTTP request comes from (--authenticate_http: HTTP basic or a bearer
// token in `authorization`), and the view ACLs the HTTP edge applies
// itself: sandbox files (view_sandboxes). The live feed filters per
// connection (feed.ts).
import type { IncomingMessage } from 'node:http';
import type { ITaskInfo } from '@mesocosm/protocol';
import type { Authenticated } from '../auth/master-auth.js';
import type { MasterCore } from '../core/master-core.js';
import type { FrameworkRecord } from '../core/types.js';

/** Paths anyone may GET, even with --authenticate_http: liveness and the leader's address. */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/health', '/master/redirect']);

/** The `www-authenticate` header of a 401: browsers ask for a principal and secret. */
export const WWW_AUTHENTICATE = 'Basic realm="mesocosm", charset="UTF-8"';

/** Whether `path` is served without authentication. */
export function isOpenPath(path: string): boolean {
  return OPEN_PATHS.has(path);
}

/** Authenticates an HTTP request (anonymous when it has no credentials and none are required). */
export function authenticateRequest(core: MasterCore, req: IncomingMessage): Authenticated {
  return core.ctx.auth.authenticate('http', req.headers.authorization);
}

function findFramework(core: MasterCore, id: string): FrameworkRecord | undefined {
  return core.ctx.frameworks.get(id) ?? core.ctx.completedFrameworks.get(id);
}

/**
 * view_sandboxes for a files request: every framework the path names (as a
 * directory of the agent's sandboxes) must be viewable, with the task's user
 * when the path names a task; a path that names no framework (e.g. the
 * sandboxes' root) needs a principal that may view every sandbox. Throws
 * PERMISSION_DENIED (counted).
 */
export function authorizeSandboxPath(core: MasterCore, search: string, principal: string | undefined): void {
  const auth = core.ctx.auth;
  if (!auth.hasAcls || auth.allowsAll('view_sandboxes', principal)) return;
  const parts = (new URLSearchParams(search).get('path') ?? '').split('/').filter((p) => p !== '');
  let named = 0;
  parts.forEach((part, i) => {
    const fw = findFramework(core, part);
    if (!fw) return;
    named++;
    const taskId = parts[i + 1] === 'tasks' ? parts[i + 2] : undefined;
    const task: ITaskInfo | undefined =
      taskId === undefined ? undefined : (fw.tasks.get(taskId) ?? fw.completedTasks.get(taskId))?.info;
    auth.authorize(
      'view_sandboxes',
      principal,
      { framework_principals: fw.info.principal || undefined, users: task?.command?.user || fw.info.user || undefined },
      `read the sandboxes of framework ${fw.id}`,
    );
  });
  if (named === 0) {
    throw auth.denied(
      'view_sandboxes',
      principal,
      "read sandbox files outside a known framework's directory",
      'the view_sandboxes ACLs: only a principal that may view every sandbox may',
    );
  }
}
