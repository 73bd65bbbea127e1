// A deployment as Marathon's GET /v2/deployments lists it.

import type { DeploymentPlan } from './deployment-plan.js';

/** Marathon's JSON for one running deployment; `currentStep` is 1-based (0: not started). */
export function renderDeployment(
  plan: DeploymentPlan,
  currentStep = plan.steps.length > 0 ? 1 : 0,
  readinessCheckResults: (appId: string) => readonly unknown[] = () => [],
): Record<string, unknown> {
  const step = plan.steps[currentStep - 1];
  return {
    id: plan.id,
    version: plan.version,
    affectedApps: [...plan.affectedApps],
    affectedPods: [],
    steps: plan.steps.map((s) => ({ actions: s.actions.map((a) => ({ action: a.action, app: a.app.id })) })),
    currentActions: (step?.actions ?? []).map((a) => ({
      action: a.action,
      app: a.app.id,
      readinessCheckResults: [...readinessCheckResults(a.app.id)],
    })),
    currentStep,
    totalSteps: plan.steps.length,
  };
}
