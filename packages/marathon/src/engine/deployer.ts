// Starting and cancelling deployments: plan from the current apps to the
// target ones, admit it against the running deployments' locks, persist the
// new definitions and the plan, then let converge() execute it.

import { randomUUID } from 'node:crypto';
import type { AppDefinition } from '../model/app-definition.js';
import { classifyChange, nextVersion } from '../model/app-versions.js';
import { admitDeployment } from '../planner/deployment-locks.js';
import { planDeployment, type DeploymentPlan } from '../planner/deployment-plan.js';
import type { DeploymentResult } from '../service/marathon-service.js';
import type { MarathonEngine } from './engine.js';
import { planJson, stepJson } from './render.js';

/** Options of {@link deploy}. */
export interface DeployOptions {
  readonly force?: boolean;
  /** App id → task ids to kill first when scaling down. */
  readonly toKill?: Readonly<Record<string, readonly string[]>>;
  /** The deployment's version (default: a new one). */
  readonly version?: string;
}

/** Starts the deployment to `target` (every app, as the whole new state). Resolves once persisted. */
export async function deploy(
  e: MarathonEngine,
  target: readonly AppDefinition[],
  opts: DeployOptions = {},
): Promise<DeploymentResult> {
  const now = e.clock.now();
  const current = [...e.apps.values()];
  const version = opts.version ?? nextVersion(now);
  const plan = planDeployment(current, target, {
    id: randomUUID(),
    version,
    ...(opts.toKill ? { toKill: opts.toKill } : {}),
  });
  const { cancel } = admitDeployment(
    [...e.deployments.values()].map((d) => d.plan),
    plan,
    opts.force === true ? { force: true } : {},
  );
  await persist(e, current, target, plan, cancel);
  for (const id of cancel) {
    const old = e.deployments.get(id);
    e.deployments.delete(id);
    if (old)
      e.bus.publish('deployment_failed', {
        id,
        plan: planJson(old.plan),
        reason: `cancelled by deployment ${plan.id}`,
      });
  }
  const before = new Map(current.map((a) => [a.id, a]));
  e.apps = new Map(target.map((a) => [a.id, a]));
  for (const app of target) {
    const old = before.get(app.id);
    if (old === undefined || classifyChange(old, app) === 'config') e.backoff.reset(app.id);
    const known = (e.versions.get(app.id) ?? []).some((v) => v.version === app.version);
    if (app.version !== undefined && app.version !== old?.version && !known) {
      const list = [...(e.versions.get(app.id) ?? []), app];
      e.versions.set(app.id, list.slice(-e.options.maxVersions));
    }
  }
  for (const old of current) if (!e.apps.has(old.id)) e.versions.delete(old.id);
  e.deployments.set(plan.id, { plan, step: 0, startedAt: now });
  const first = plan.steps[0];
  if (first) e.bus.publish('deployment_info', { plan: planJson(plan), currentStep: stepJson(first) });
  e.converge();
  return { version, deploymentId: plan.id };
}

async function persist(
  e: MarathonEngine,
  current: readonly AppDefinition[],
  target: readonly AppDefinition[],
  plan: DeploymentPlan,
  cancel: readonly string[],
): Promise<void> {
  const before = new Map(current.map((a) => [a.id, a]));
  const after = new Set(target.map((a) => a.id));
  const writes: Promise<unknown>[] = [];
  for (const id of cancel) writes.push(e.write(`deployments/${id}`, (s) => s.deleteDeployment(id)));
  for (const app of target) {
    if (before.get(app.id)?.version === app.version) continue;
    writes.push(e.write(`apps/${app.id}`, (s) => s.putApp(app)));
    const stored = e.versions.get(app.id) ?? [];
    for (const old of stored.slice(0, Math.max(0, stored.length + 1 - e.options.maxVersions))) {
      if (old.version !== undefined)
        writes.push(e.write('app-versions', (s) => s.deleteAppVersion(app.id, old.version ?? '')));
    }
  }
  for (const app of current) {
    if (after.has(app.id)) continue;
    writes.push(e.write(`apps/${app.id}`, (s) => s.deleteApp(app.id)));
    for (const v of e.versions.get(app.id) ?? []) {
      if (v.version !== undefined)
        writes.push(e.write('app-versions', (s) => s.deleteAppVersion(app.id, v.version ?? '')));
    }
  }
  writes.push(e.write(`deployments/${plan.id}`, (s) => s.putDeployment({ plan, step: 0, startedAt: e.clock.now() })));
  await Promise.all(writes);
}

/**
 * DELETE /v2/deployments/{id}: with `force`, stops it where it is (apps keep
 * their new definitions); otherwise starts the rollback deployment.
 */
export async function cancelDeployment(
  e: MarathonEngine,
  id: string,
  force: boolean,
): Promise<DeploymentResult | undefined> {
  const d = e.deployments.get(id);
  if (!d) return undefined;
  await e.write(`deployments/${id}`, (s) => s.deleteDeployment(id));
  e.deployments.delete(id);
  e.bus.publish('deployment_failed', {
    id,
    plan: planJson(d.plan),
    reason: force ? 'cancelled (forced)' : 'cancelled: rolling back',
  });
  if (force) {
    e.converge();
    return undefined;
  }
  // The rollback (revertPlan's target): the affected apps as they were, the others as they are.
  // deploy() plans it from the current apps and, forced, cancels the original deployment.
  const affected = new Set(d.plan.affectedApps);
  const restored = d.plan.original.filter((a) => affected.has(a.id));
  const target = [...[...e.apps.values()].filter((a) => !affected.has(a.id)), ...restored];
  return deploy(e, target, { force: true });
}
