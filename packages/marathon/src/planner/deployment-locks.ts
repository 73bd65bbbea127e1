// Deployments lock the apps they touch. A new deployment touching a locked app
// is refused (409) unless forced; forcing cancels the running deployments
// that hold the lock, without rolling them back.

import { AppLockedError } from '../errors.js';
import type { DeploymentPlan } from './deployment-plan.js';

/** Ids of the running deployments that share an app with `plan`. */
export function lockConflicts(running: readonly DeploymentPlan[], plan: DeploymentPlan): string[] {
  const apps = new Set(plan.affectedApps);
  return running.filter((d) => d.id !== plan.id && d.affectedApps.some((id) => apps.has(id))).map((d) => d.id);
}

/**
 * Admits `plan` next to the `running` deployments. Returns the ids of the
 * deployments to cancel (only with `force`); throws {@link AppLockedError}
 * (409) when they conflict and `force` is not set.
 */
export function admitDeployment(
  running: readonly DeploymentPlan[],
  plan: DeploymentPlan,
  opts: { readonly force?: boolean } = {},
): { readonly cancel: readonly string[] } {
  const conflicts = lockConflicts(running, plan);
  if (conflicts.length > 0 && opts.force !== true) throw new AppLockedError(conflicts);
  return { cancel: conflicts };
}
