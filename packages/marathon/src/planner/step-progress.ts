// Executing a step: each action's decision over the instances of its app.
// The step is finished when every action is.

import type { Decision } from './decision.js';
import type { DeploymentAction, DeploymentStep } from './deployment-plan.js';
import type { InstanceView } from './instance.js';
import { restartDecision } from './rolling-restart.js';
import { scaleDecision, stopDecision } from './scaling.js';

/** The decision for one action, given the instances of its app. */
export function actionDecision(action: DeploymentAction, instances: readonly InstanceView[]): Decision {
  switch (action.action) {
    case 'StartApplication':
      return { kill: [], start: 0, done: true };
    case 'ScaleApplication':
      return scaleDecision({ ...action.app, instances: action.scaleTo }, instances, action.sentenced);
    case 'RestartApplication':
      return restartDecision(action.app, instances);
    case 'StopApplication':
      return stopDecision(instances);
  }
}

/** The decisions of a step, by app id, and whether the step is finished. */
export interface StepProgress {
  readonly decisions: ReadonlyMap<string, Decision>;
  readonly done: boolean;
}

/** Decides every action of `step`; `instancesOf` gives an app's current instances. */
export function stepProgress(
  step: DeploymentStep,
  instancesOf: (appId: string) => readonly InstanceView[],
): StepProgress {
  const decisions = new Map<string, Decision>();
  for (const action of step.actions) decisions.set(action.app.id, actionDecision(action, instancesOf(action.app.id)));
  return { decisions, done: [...decisions.values()].every((d) => d.done) };
}
