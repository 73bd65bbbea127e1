// Scale decisions: ScaleApplication during a deployment, and keeping an app
// at its instance count between deployments (lost, failed or killed tasks are
// replaced; the launcher applies the backoff).

import type { AppDefinition } from '../model/app-definition.js';
import type { Decision } from './decision.js';
import { isAvailable, killOrder, type InstanceView } from './instance.js';

/**
 * Decides the kills and launches that bring `instances` to `app.instances`.
 * Surplus goes `sentenced` ids first (`DELETE /v2/apps/x/tasks?scale=true`),
 * then staging and unhealthy instances, then by killSelection. Done when the
 * count is right, nothing is being killed, and all instances are healthy
 * (and ready, with readiness checks).
 */
export function scaleDecision(
  app: AppDefinition,
  instances: readonly InstanceView[],
  sentenced: readonly string[] = [],
): Decision {
  const want = app.instances;
  const live = instances.filter((i) => i.phase !== 'killing');
  const kill: string[] = [];
  if (live.length > want) {
    const marked = live.filter((i) => sentenced.includes(i.id));
    const rest = killOrder(
      app,
      live.filter((i) => !sentenced.includes(i.id)),
    );
    kill.push(...[...marked, ...rest].slice(0, live.length - want).map((i) => i.id));
  }
  const start = Math.max(0, want - live.length);
  const killing = instances.length - live.length;
  const available = live.filter((i) => isAvailable(app, i)).length;
  const done = live.length === want && killing === 0 && available === want;
  if (done || kill.length > 0 || start > 0) return { kill, start, done };
  const waiting =
    killing > 0
      ? `waiting for ${killing} instance(s) to finish being killed`
      : `waiting for ${want - available} instance(s) to become healthy and ready`;
  return { kill, start, done, waiting };
}

/** StopApplication: kill every instance; done when none is left. */
export function stopDecision(instances: readonly InstanceView[]): Decision {
  const kill = instances.filter((i) => i.phase !== 'killing').map((i) => i.id);
  const done = instances.length === 0;
  return done || kill.length > 0
    ? { kill, start: 0, done }
    : { kill, start: 0, done, waiting: `waiting for ${instances.length} instance(s) to finish being killed` };
}
