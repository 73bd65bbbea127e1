// Who a framework is, and what the ACLs let it do: its principal at
// SUBSCRIBE (the authenticated one; else, without authentication, the one
// its FrameworkInfo claims, as Mesos), register_frameworks for its roles,
// and run_tasks for the unix user of each task it launches.
import { frameworkRoles, MesocosmError, type IFrameworkInfo, type ITaskInfo } from '@mesocosm/protocol';
import { taskUser } from '../auth/viewer.js';
import type { FrameworkRecord, MasterContext } from './types.js';

/**
 * Checks a SUBSCRIBE: the FrameworkInfo's principal against the
 * authenticated one (filled in when empty), a failover against the
 * framework's principal, and register_frameworks for every role. Returns the
 * FrameworkInfo to keep. Throws PERMISSION_DENIED saying what to change.
 */
export function checkSubscribe(
  ctx: MasterContext,
  info: IFrameworkInfo,
  requestedId: string | undefined,
  authenticated: string | undefined,
): IFrameworkInfo {
  let checked = info;
  if (authenticated !== undefined) {
    if (info.principal && info.principal !== authenticated) {
      throw new MesocosmError(
        'PERMISSION_DENIED',
        `framework_info.principal '${info.principal}' is not the principal the framework authenticated as ('${authenticated}'): ` +
          `leave it empty or set it to '${authenticated}'`,
      );
    }
    checked = { ...info, principal: authenticated };
  }
  const principal = checked.principal || undefined;
  const existing = requestedId === undefined ? undefined : ctx.frameworks.get(requestedId);
  const owner = existing?.info.principal || undefined;
  if (owner !== undefined && owner !== principal) {
    throw new MesocosmError(
      'PERMISSION_DENIED',
      `framework ${requestedId ?? ''} belongs to principal '${owner}'; ` +
        `${principal === undefined ? 'this subscription has none' : `'${principal}' may not take it over`}`,
    );
  }
  for (const role of frameworkRoles(checked)) {
    ctx.auth.authorize('register_frameworks', principal, { roles: role }, `register a framework with role '${role}'`);
  }
  return checked;
}

/**
 * Scheduler.Call outside the stream: where frameworks must authenticate,
 * the caller must be the framework's principal.
 */
export function checkCallPrincipal(ctx: MasterContext, fw: FrameworkRecord, principal: string | undefined): void {
  if (!ctx.auth.required('frameworks')) return;
  const owner = fw.info.principal || undefined;
  if (owner !== principal) {
    throw new MesocosmError(
      'PERMISSION_DENIED',
      `framework ${fw.id} belongs to principal '${owner ?? ''}', not to '${principal ?? ''}'`,
    );
  }
}

/** run_tasks: throws PERMISSION_DENIED when the framework's principal may not run `task` as its user. */
export function authorizeLaunch(ctx: MasterContext, fw: FrameworkRecord, task: ITaskInfo): void {
  const user = taskUser(fw.info, task);
  ctx.auth.authorize(
    'run_tasks',
    fw.info.principal || undefined,
    { users: user },
    `run task '${task.taskId?.value ?? ''}' as user '${user ?? '(none)'}'`,
  );
}
