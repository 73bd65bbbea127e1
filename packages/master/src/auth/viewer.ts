// What an operator may see (view_frameworks, view_tasks, view_sandboxes), as
// predicates the views filter with. The object of a view rule is the
// framework's principal (`framework_principals`) or the unix user
// (`users`: the task's command user, else the framework's user, as Mesos).
import type { IFrameworkInfo, ITaskInfo } from '@mesocosm/protocol';
import type { AclObjects } from './authorizer.js';
import type { MasterAuth } from './master-auth.js';

/** The frameworks, tasks and sandboxes one caller may see. */
export interface Viewer {
  /** True when nothing is hidden (no ACLs, or ACLs that let this caller see everything). */
  readonly all: boolean;
  framework(info: IFrameworkInfo): boolean;
  task(framework: IFrameworkInfo, task: ITaskInfo): boolean;
  sandbox(framework: IFrameworkInfo, task?: ITaskInfo): boolean;
}

/** Sees everything (no ACLs). */
export const SEE_ALL: Viewer = { all: true, framework: () => true, task: () => true, sandbox: () => true };

/** The unix user a task runs as: its command's, else its executor's, else the framework's. */
export function taskUser(framework: IFrameworkInfo, task?: ITaskInfo): string | undefined {
  return task?.command?.user || task?.executor?.command?.user || framework.user || undefined;
}

function objectsOf(framework: IFrameworkInfo, task?: ITaskInfo): AclObjects {
  return { framework_principals: framework.principal || undefined, users: taskUser(framework, task) };
}

/** The viewer of `principal` (undefined: an anonymous caller). */
export function viewerFor(auth: MasterAuth, principal: string | undefined): Viewer {
  if (!auth.hasAcls) return SEE_ALL;
  const all =
    auth.allowsAll('view_frameworks', principal) &&
    auth.allowsAll('view_tasks', principal) &&
    auth.allowsAll('view_sandboxes', principal);
  if (all) return SEE_ALL;
  return {
    all: false,
    framework: (info) => auth.allows('view_frameworks', principal, objectsOf(info)),
    task: (fw, task) => auth.allows('view_tasks', principal, objectsOf(fw, task)),
    sandbox: (fw, task) => auth.allows('view_sandboxes', principal, objectsOf(fw, task)),
  };
}
