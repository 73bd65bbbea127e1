// What the planner sees of an app's running instances: enough to decide
// kills and launches, nothing of Mesos. The scheduler builds these from
// task statuses and health results.

import type { AppDefinition } from '../model/app-definition.js';

/** Where an instance is in its life, as far as the planner cares. */
export type InstancePhase = 'staging' | 'running' | 'killing';

/** One instance (task) of an app. */
export interface InstanceView {
  readonly id: string;
  /** The config version it was launched from: the app's {@link configVersion} at launch. */
  readonly version: string;
  readonly phase: InstancePhase;
  /** Latest health result; undefined while there is none (grace period, no checks yet). */
  readonly healthy?: boolean;
  /** Readiness check result; undefined while there is none. */
  readonly ready?: boolean;
  /** Launch time in ms, for kill selection. */
  readonly startedAt: number;
}

/**
 * The version that identifies an app's configuration: scale-only changes keep
 * it, so instances launched before a scale still count as current.
 */
export function configVersion(app: AppDefinition): string {
  return app.versionInfo?.lastConfigChangeAt ?? app.version ?? '';
}

/** Running and passing the app's health checks (every running instance passes when there are none). */
export function isHealthy(app: AppDefinition, i: InstanceView): boolean {
  return i.phase === 'running' && (app.healthChecks.length === 0 || i.healthy === true);
}

/** Healthy and, when the app has readiness checks, ready: counts toward a deployment's progress. */
export function isAvailable(app: AppDefinition, i: InstanceView): boolean {
  return isHealthy(app, i) && (app.readinessChecks.length === 0 || i.ready === true);
}

/**
 * Orders instances for killing: staging ones and failing ones first, then by
 * the app's killSelection (YOUNGEST_FIRST: latest start first).
 */
export function killOrder(app: AppDefinition, instances: readonly InstanceView[]): InstanceView[] {
  const rank = (i: InstanceView): number => (i.phase === 'staging' ? 0 : isHealthy(app, i) ? 2 : 1);
  const youngestFirst = app.killSelection === 'YOUNGEST_FIRST';
  return [...instances].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const t = youngestFirst ? b.startedAt - a.startedAt : a.startedAt - b.startedAt;
    return t !== 0 ? t : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
