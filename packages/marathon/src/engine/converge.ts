// One round of the engine's loop, over its current state:
//   1. unreachable instances past expungeAfterSeconds are forgotten;
//   2. each running deployment executes its current step (stepProgress), and
//      moves on while steps are done; apps of later steps are held;
//   3. every other app is kept at its count (scaleDecision);
//   4. tasks of apps that no longer exist are killed;
//   5. tasks failing health checks long enough are killed, rate-limited;
//   6. launch backoff is forgiven for apps whose tasks have run a while;
//   7. kills not answered within `killRetryMs` are sent again (a kill lost
//      with a connection or a leader must not hold a deployment forever).
// Returns when it wants to run again (a backoff ending, a kill token...).

import type { AppDefinition } from '../model/app-definition.js';
import type { Decision } from '../planner/decision.js';
import { admitKills } from '../planner/kill-rate-limit.js';
import { scaleDecision } from '../planner/scaling.js';
import { stepProgress } from '../planner/step-progress.js';
import type { DeploymentState } from '../state/deployment-record.js';
import type { MarathonEngine } from './engine.js';
import { isExpunged, isInactive } from './instance-status.js';
import { planJson, stepJson } from './render.js';

/** What one round did. */
export interface RoundResult {
  /** When to run again (ms), if ever. */
  readonly wakeAt: number | undefined;
  /** Kills or launches were issued: another round may decide more (e.g. a step finished). */
  readonly acted: boolean;
}

/** Runs one round. */
export function converge(e: MarathonEngine): RoundResult {
  const now = e.clock.now();
  const wake: number[] = [];
  const before = e.actions;
  expungeUnreachable(e, now, wake);
  const governed = new Set<string>();
  for (const d of [...e.deployments.values()]) runDeployment(e, d, now, governed, wake);
  for (const app of e.apps.values()) {
    if (!governed.has(app.id))
      applyDecision(
        e,
        app,
        scaleDecision(
          app,
          e.book.views(app.id, app, now, (t) => e.readiness.isReady(t)),
        ),
        now,
        wake,
      );
  }
  for (const r of e.book.all()) {
    if (!e.apps.has(r.appId) && !governed.has(r.appId) && r.killRequested !== true) e.kill(r.taskId, 'its app is gone');
  }
  healthKills(e, now, wake);
  forgive(e, now, wake);
  retryKills(e, now, wake);
  const future = wake.filter((t) => Number.isFinite(t));
  const wakeAt = future.length > 0 ? Math.max(now, Math.min(...future)) : undefined;
  return { wakeAt, acted: e.actions !== before };
}

function retryKills(e: MarathonEngine, now: number, wake: number[]): void {
  const every = e.options.killRetryMs;
  for (const [taskId, sentAt] of e.killsSent) {
    const r = e.book.get(taskId);
    if (!r || r.killRequested !== true) {
      e.killsSent.delete(taskId);
      continue;
    }
    if (now - sentAt >= every) {
      if (Number.isFinite(sentAt)) e.logger.info('kill not answered: sending it again', { taskId });
      e.sendKill(r);
      wake.push(now + every);
    } else wake.push(sentAt + every);
  }
}

function applyDecision(e: MarathonEngine, app: AppDefinition, d: Decision, now: number, wake: number[]): void {
  for (const id of d.kill) e.kill(id, `${app.id}: deployment or scale`);
  if (d.start <= 0) return;
  const notBefore = e.backoff.notBefore(app);
  if (now >= notBefore) e.launch(app, d.start);
  else wake.push(notBefore);
}

function runDeployment(
  e: MarathonEngine,
  d: DeploymentState,
  now: number,
  governed: Set<string>,
  wake: number[],
): void {
  const steps = d.plan.steps;
  for (const s of steps.slice(d.step)) for (const a of s.actions) governed.add(a.app.id);
  let step = d.step;
  while (step < steps.length) {
    const current = steps[step];
    if (current === undefined) break;
    const progress = stepProgress(current, (id) =>
      e.book.views(id, e.apps.get(id), now, (t) => e.readiness.isReady(t)),
    );
    for (const action of current.actions) {
      const decision = progress.decisions.get(action.app.id);
      if (decision) applyDecision(e, action.app, decision, now, wake);
    }
    if (!progress.done) break;
    e.bus.publish('deployment_step_success', { plan: planJson(d.plan), currentStep: stepJson(current) });
    for (const a of current.actions) {
      if (a.action === 'StopApplication') e.bus.publish('app_terminated_event', { appId: a.app.id });
    }
    step += 1;
    const next = steps[step];
    if (next) e.bus.publish('deployment_info', { plan: planJson(d.plan), currentStep: stepJson(next) });
  }
  if (step >= steps.length) {
    e.deployments.delete(d.plan.id);
    void e.write(`deployments/${d.plan.id}`, (s) => s.deleteDeployment(d.plan.id));
    e.bus.publish('deployment_success', { id: d.plan.id, plan: planJson(d.plan) });
    e.logger.info('deployment finished', { id: d.plan.id, apps: d.plan.affectedApps });
  } else if (step !== d.step) {
    const next = { ...d, step };
    e.deployments.set(d.plan.id, next);
    void e.write(`deployments/${d.plan.id}`, (s) => s.putDeployment(next));
  }
}

function expungeUnreachable(e: MarathonEngine, now: number, wake: number[]): void {
  for (const r of e.book.all()) {
    if (r.state !== 'TASK_UNREACHABLE') continue;
    const strategy = e.apps.get(r.appId)?.unreachableStrategy ?? { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 };
    if (strategy === 'disabled') continue;
    const since = r.unreachableSince ?? now;
    if (isExpunged(r, strategy, now)) {
      e.book.delete(r.taskId);
      void e.write(`instances/${r.taskId}`, (s) => s.deleteInstance(r.taskId));
      e.logger.info('unreachable task expunged', { taskId: r.taskId });
      continue;
    }
    if (!isInactive(r, strategy, now)) wake.push(since + strategy.inactiveAfterSeconds * 1000);
    wake.push(since + strategy.expungeAfterSeconds * 1000);
  }
}

function healthKills(e: MarathonEngine, now: number, wake: number[]): void {
  const due: { id: string; at: number }[] = [];
  for (const app of e.apps.values()) {
    const hc = app.healthChecks[0];
    if (hc === undefined || hc.maxConsecutiveFailures <= 0) continue;
    // The agent reports unhealthy at the first counted failure; the last one comes (max - 1) intervals later.
    const after = Math.max(0, hc.maxConsecutiveFailures - 1) * hc.intervalSeconds * 1000;
    for (const r of e.book.ofApp(app.id)) {
      if (r.state !== 'TASK_RUNNING' || r.healthy !== false || r.killRequested === true) continue;
      const at = (r.unhealthySince ?? now) + after;
      if (at <= now) due.push({ id: r.taskId, at });
      else wake.push(at);
    }
  }
  if (due.length === 0) return;
  due.sort((a, b) => a.at - b.at);
  const admitted = admitKills(
    e.bucket,
    due.map((d) => d.id),
    now,
  );
  for (const id of admitted.kill) {
    const r = e.book.get(id);
    if (!r) continue;
    e.bus.publish('unhealthy_instance_kill_event', {
      appId: r.appId,
      taskId: r.taskId,
      instanceId: r.taskId,
      version: r.appVersion,
      reason: 'HealthCheckFailed',
      host: r.host ?? '',
      slaveId: r.agentId ?? null,
    });
    e.kill(id, 'failing health checks');
  }
  if (admitted.retryAt !== undefined) wake.push(admitted.retryAt);
}

function forgive(e: MarathonEngine, now: number, wake: number[]): void {
  for (const entry of e.backoff.entriesList()) {
    const app = e.apps.get(entry.appId);
    if (!app) {
      e.backoff.reset(entry.appId);
      continue;
    }
    if (app.healthChecks.length > 0) continue; // forgiven by a healthy result
    const running = e.book.ofApp(app.id).filter((r) => r.state === 'TASK_RUNNING' && r.startedAt !== undefined);
    const oldest = Math.min(...running.map((r) => r.startedAt ?? now));
    if (running.length === 0) continue;
    if (now - oldest >= e.options.forgiveAfterMs) e.backoff.recordHealthy(app.id);
    else wake.push(oldest + e.options.forgiveAfterMs);
  }
}
