// planDeployment: (current apps, target apps) → steps of actions, in
// Marathon's shape. Stops first (dependents before what they depend on), then
// the new apps are registered (StartApplication, 0 instances), then one step
// per dependency level: an app's dependencies are scaled or restarted in an
// earlier step than the app itself.

import type { AppDefinition } from '../model/app-definition.js';
import { configKey } from '../model/app-versions.js';
import { dependencyLevels } from '../model/dependencies.js';

/** One thing a deployment does to one app. */
export type DeploymentAction =
  | { readonly action: 'StartApplication'; readonly app: AppDefinition }
  | {
      readonly action: 'ScaleApplication';
      readonly app: AppDefinition;
      readonly scaleTo: number;
      /** Instances to kill first when scaling down. */
      readonly sentenced: readonly string[];
    }
  | { readonly action: 'RestartApplication'; readonly app: AppDefinition }
  | { readonly action: 'StopApplication'; readonly app: AppDefinition };

/** The kind of a {@link DeploymentAction}. */
export type DeploymentActionName = DeploymentAction['action'];

/** Actions that run together; a step finishes when all its actions have. */
export interface DeploymentStep {
  readonly actions: readonly DeploymentAction[];
}

/** A deployment: from `original` to `target`, in steps. */
export interface DeploymentPlan {
  readonly id: string;
  readonly version: string;
  readonly original: readonly AppDefinition[];
  readonly target: readonly AppDefinition[];
  readonly steps: readonly DeploymentStep[];
  /** Ids of every app an action touches (sorted): what the deployment locks. */
  readonly affectedApps: readonly string[];
}

/** Options of {@link planDeployment}. */
export interface PlanOptions {
  /** The deployment id (the caller makes it unique, e.g. a UUID). */
  readonly id: string;
  /** The deployment's version (the new root group version). */
  readonly version: string;
  /** App id → instance ids to kill first when that app scales down. */
  readonly toKill?: Readonly<Record<string, readonly string[]>>;
}

/** True when the change from `before` to `after` needs new tasks, not just more or fewer. */
export function needsRestart(before: AppDefinition, after: AppDefinition): boolean {
  const a = before.versionInfo?.lastConfigChangeAt;
  const b = after.versionInfo?.lastConfigChangeAt;
  if (a !== undefined && b !== undefined && a !== b) return true;
  return configKey(before) !== configKey(after);
}

function byLevel(apps: readonly AppDefinition[], levels: ReadonlyMap<string, number>): AppDefinition[][] {
  const out: AppDefinition[][] = [];
  for (const app of [...apps].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const level = levels.get(app.id) ?? 0;
    (out[level] ??= []).push(app);
  }
  return out.filter((group) => group !== undefined && group.length > 0);
}

/**
 * Plans the deployment that takes the cluster from `current` to `target`.
 * Pure: ids and versions come from `opts`. Steps without actions are left
 * out, so an unchanged target gives a plan with no steps.
 */
export function planDeployment(
  current: readonly AppDefinition[],
  target: readonly AppDefinition[],
  opts: PlanOptions,
): DeploymentPlan {
  const before = new Map(current.map((a) => [a.id, a]));
  const after = new Map(target.map((a) => [a.id, a]));
  const steps: DeploymentStep[] = [];

  const stopped = current.filter((a) => !after.has(a.id));
  const stopLevels = byLevel(stopped, dependencyLevels(current)).reverse();
  for (const apps of stopLevels) steps.push({ actions: apps.map((app) => ({ action: 'StopApplication', app })) });

  const created = target.filter((a) => !before.has(a.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
  if (created.length > 0) steps.push({ actions: created.map((app) => ({ action: 'StartApplication', app })) });

  for (const apps of byLevel(target, dependencyLevels(target))) {
    const actions: DeploymentAction[] = [];
    for (const app of apps) {
      const old = before.get(app.id);
      const sentenced = opts.toKill?.[app.id] ?? [];
      if (old === undefined) actions.push({ action: 'ScaleApplication', app, scaleTo: app.instances, sentenced: [] });
      else if (needsRestart(old, app)) actions.push({ action: 'RestartApplication', app });
      else if (old.instances !== app.instances || sentenced.length > 0) {
        actions.push({ action: 'ScaleApplication', app, scaleTo: app.instances, sentenced });
      }
    }
    if (actions.length > 0) steps.push({ actions });
  }

  const affected = new Set(steps.flatMap((s) => s.actions.map((a) => a.app.id)));
  return {
    id: opts.id,
    version: opts.version,
    original: current,
    target,
    steps,
    affectedApps: [...affected].sort(),
  };
}

/**
 * Cancelling a deployment (`DELETE /v2/deployments/{id}`): a new plan that
 * takes the affected apps from the cancelled plan's target back to their
 * original definitions (removed apps come back, new ones are stopped).
 */
export function revertPlan(plan: DeploymentPlan, opts: PlanOptions): DeploymentPlan {
  const affected = new Set(plan.affectedApps);
  const from = plan.target.filter((a) => affected.has(a.id));
  const to = plan.original.filter((a) => affected.has(a.id));
  const unaffected = plan.target.filter((a) => !affected.has(a.id));
  return planDeployment([...unaffected, ...from], [...unaffected, ...to], opts);
}
