// A running deployment as stored (`deployments/<id>`): the plan with its
// apps rendered as Marathon JSON, and the step it is at. Only the affected
// apps are kept (the others do not matter to the steps or to a rollback).

import type { AppDefinition } from '../model/app-definition.js';
import { parseApp } from '../model/parse-app.js';
import { renderApp } from '../model/render-app.js';
import type { DeploymentAction, DeploymentPlan } from '../planner/deployment-plan.js';

/** A deployment in progress. */
export interface DeploymentState {
  readonly plan: DeploymentPlan;
  /** 0-based index of the step being executed (`plan.steps.length` when finished). */
  readonly step: number;
  /** When it started (ms). */
  readonly startedAt: number;
}

interface StoredAction {
  action: DeploymentAction['action'];
  app: string;
  scaleTo?: number;
  sentenced?: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The stored JSON of a deployment. */
export function encodeDeployment(d: DeploymentState): Record<string, unknown> {
  const affected = new Set(d.plan.affectedApps);
  const keep = (apps: readonly AppDefinition[]): Record<string, unknown>[] =>
    apps.filter((a) => affected.has(a.id)).map(renderApp);
  return {
    id: d.plan.id,
    version: d.plan.version,
    step: d.step,
    startedAt: d.startedAt,
    affectedApps: [...d.plan.affectedApps],
    original: keep(d.plan.original),
    target: keep(d.plan.target),
    steps: d.plan.steps.map((s) => ({
      actions: s.actions.map((a): StoredAction => {
        if (a.action === 'ScaleApplication') {
          return { action: a.action, app: a.app.id, scaleTo: a.scaleTo, sentenced: [...a.sentenced] };
        }
        return { action: a.action, app: a.app.id };
      }),
    })),
  };
}

function decodeApps(v: unknown): AppDefinition[] | undefined {
  if (!Array.isArray(v)) return undefined;
  try {
    return v.map((a) => parseApp(a, { keepVersion: true }));
  } catch {
    return undefined;
  }
}

/** Reads a stored deployment; undefined when it is not one. */
export function decodeDeployment(value: unknown): DeploymentState | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.version !== 'string') return undefined;
  const original = decodeApps(value.original);
  const target = decodeApps(value.target);
  if (!original || !target || !Array.isArray(value.steps)) return undefined;
  const before = new Map(original.map((a) => [a.id, a]));
  const after = new Map(target.map((a) => [a.id, a]));
  const steps = [];
  for (const s of value.steps) {
    if (!isRecord(s) || !Array.isArray(s.actions)) return undefined;
    const actions: DeploymentAction[] = [];
    for (const raw of s.actions as unknown[]) {
      if (!isRecord(raw) || typeof raw.app !== 'string') return undefined;
      const app = raw.action === 'StopApplication' ? before.get(raw.app) : after.get(raw.app);
      if (app === undefined) return undefined;
      switch (raw.action) {
        case 'StartApplication':
        case 'RestartApplication':
        case 'StopApplication':
          actions.push({ action: raw.action, app });
          break;
        case 'ScaleApplication': {
          const sentenced = Array.isArray(raw.sentenced) ? raw.sentenced.filter((x) => typeof x === 'string') : [];
          const scaleTo = typeof raw.scaleTo === 'number' ? raw.scaleTo : app.instances;
          actions.push({ action: raw.action, app, scaleTo, sentenced });
          break;
        }
        default:
          return undefined;
      }
    }
    steps.push({ actions });
  }
  const affectedApps = Array.isArray(value.affectedApps)
    ? value.affectedApps.filter((x): x is string => typeof x === 'string')
    : [];
  const plan: DeploymentPlan = { id: value.id, version: value.version, original, target, steps, affectedApps };
  return {
    plan,
    step: typeof value.step === 'number' ? value.step : 0,
    startedAt: typeof value.startedAt === 'number' ? value.startedAt : 0,
  };
}
