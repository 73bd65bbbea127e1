// What a principal sees of rendered JSON: group trees without the apps it may
// not view, deployments and events without the apps of others. Each takes a
// predicate over app and group ids, so that it stays a plain function of its
// input (the ACLs decide the predicate).
import type { Json, MarathonEvent } from '../../service/marathon-service.js';

/** Whether the principal may see the app or group `id`. */
export type Visible = (id: string) => boolean;

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : [];
}

function idOf(value: Json): string {
  return typeof value['id'] === 'string' ? value['id'] : '';
}

/**
 * `group` (Marathon's group JSON) keeping only the apps `visible` allows and
 * the sub-groups that keep something or are visible themselves; undefined
 * when nothing of it is visible and it is not visible itself.
 */
export function visibleGroup(group: Json, visible: Visible): Json | undefined {
  const apps = records(group['apps']).filter((a) => visible(idOf(a)));
  const groups = records(group['groups']).flatMap((g) => visibleGroup(g, visible) ?? []);
  if (apps.length === 0 && groups.length === 0 && !visible(idOf(group))) return undefined;
  return { ...group, apps, groups };
}

function visibleActions(step: unknown, visible: Visible): Json {
  const s = typeof step === 'object' && step !== null ? (step as Json) : {};
  return { ...s, actions: records(s['actions']).filter((a) => visible(String(a['app'] ?? ''))) };
}

/**
 * A deployment of GET /v2/deployments showing only the apps `visible`
 * allows (in affectedApps, steps and currentActions).
 */
export function visibleDeployment(deployment: Json, visible: Visible): Json {
  const affected = Array.isArray(deployment['affectedApps']) ? deployment['affectedApps'] : [];
  return {
    ...deployment,
    affectedApps: affected.filter((id): id is string => typeof id === 'string' && visible(id)),
    steps: records(deployment['steps']).map((s) => visibleActions(s, visible)),
    currentActions: records(deployment['currentActions']).filter((a) => visible(String(a['app'] ?? ''))),
  };
}

function emptyGroup(group: unknown): Json {
  const id = typeof group === 'object' && group !== null ? idOf(group as Json) : '/';
  return { id: id || '/', apps: [], groups: [], pods: [], dependencies: [] };
}

/** An event's plan (`deployment_*` events) without the apps of others; undefined when it holds none visible. */
function visiblePlan(plan: Json, visible: Visible): Json | undefined {
  const steps = records(plan['steps']);
  // The apps it acts on decide (its trees hold every app); a plan acting on none is cluster-wide.
  const acted = steps.flatMap((s) => records(s['actions']).map((a) => String(a['app'] ?? '')));
  if (acted.length === 0 ? !visible('/') : !acted.some(visible)) return undefined;
  const tree = (g: unknown): Json =>
    typeof g === 'object' && g !== null ? (visibleGroup(g as Json, visible) ?? emptyGroup(g)) : emptyGroup(g);
  return {
    ...plan,
    original: tree(plan['original']),
    target: tree(plan['target']),
    steps: steps.map((s) => visibleActions(s, visible)),
  };
}

/** The app or group an event is about, by Marathon's field names; undefined for cluster-wide events. */
function subjectOf(body: Json): string | undefined {
  for (const key of ['appId', 'runSpecId', 'groupId'] as const) {
    const value = body[key];
    if (typeof value === 'string') return value;
  }
  const definition = body['appDefinition'];
  if (typeof definition === 'object' && definition !== null) return idOf(definition as Json);
  return undefined;
}

/**
 * `event` as the principal may see it, or undefined when it is about apps it
 * may not view. Deployment events keep only the visible apps of their plan;
 * events about no app (framework messages and the like) need the root group `/`.
 */
export function visibleEvent(event: MarathonEvent, visible: Visible): MarathonEvent | undefined {
  const plan = event.body['plan'];
  if (typeof plan === 'object' && plan !== null) {
    const shown = visiblePlan(plan as Json, visible);
    if (shown === undefined) return undefined;
    const body: Json = { ...event.body, plan: shown };
    if (event.body['currentStep'] !== undefined)
      body['currentStep'] = visibleActions(event.body['currentStep'], visible);
    return { ...event, body };
  }
  const subject = subjectOf(event.body);
  return visible(subject ?? '/') ? event : undefined;
}
