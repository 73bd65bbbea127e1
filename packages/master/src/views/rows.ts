// The rows of the operator pages and of the live feed (feed-types.ts): agents
// and frameworks without their task lists, tasks with where their sandbox is,
// offers with names and ages. Each row costs O(its own tasks and offers).
import { taskStateName } from '@mesocosm/protocol';
import type { AgentRecord, FrameworkRecord, MasterContext, TaskRecord } from '../core/types.js';
import type { AgentRow, FrameworkRow, OffersPage, TaskRow } from './feed-types.js';
import { agentJson, frameworkFields, offerJson, taskJson } from './state-json.js';

/** An agent row. */
export function agentRow(ctx: MasterContext, agent: AgentRecord): AgentRow {
  return { ...agentJson(ctx, agent), task_count: agent.tasks.size };
}

/** Counts of a framework's tasks (live and completed) by state name. */
export function taskCounts(fw: FrameworkRecord): Record<string, number> {
  const byState = new Map<number, number>();
  for (const map of [fw.tasks, fw.completedTasks]) {
    for (const t of map.values()) byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
  }
  const out: Record<string, number> = {};
  for (const [state, n] of byState) out[taskStateName(state)] = n;
  return out;
}

/** A framework row (registered or completed). */
export function frameworkRow(ctx: MasterContext, fw: FrameworkRecord): FrameworkRow {
  return {
    ...frameworkFields(ctx, fw),
    task_counts: taskCounts(fw),
    offer_count: ctx.offers.byFramework(fw.id).length,
  };
}

/**
 * A task's sandbox relative to its agent's sandboxes root (the agent's
 * `/files` root): `<framework_id>/executors/<executor_id>` for a task of a
 * custom executor, `<framework_id>/tasks/<task_id>` otherwise.
 */
export function sandboxOf(task: TaskRecord): string {
  const executorId = task.info.executor?.executorId?.value;
  return executorId ? `${task.frameworkId}/executors/${executorId}` : `${task.frameworkId}/tasks/${task.taskId}`;
}

/** The health of the latest status that carried one. */
function healthOf(task: TaskRecord): boolean | undefined {
  for (let i = task.statuses.length - 1; i >= 0; i--) {
    const s = task.statuses[i];
    if (s?.hasHealthy) return s.healthy ?? false;
  }
  return undefined;
}

/** A task row. */
export function taskRow(ctx: MasterContext, task: TaskRecord): TaskRow {
  const fw = ctx.frameworks.get(task.frameworkId) ?? ctx.completedFrameworks.get(task.frameworkId);
  const healthy = healthOf(task);
  return {
    ...taskJson(task),
    framework_name: fw?.info.name ?? '',
    agent_hostname: ctx.agents.get(task.agentId)?.info.hostname ?? ctx.recovered.get(task.agentId)?.info.hostname ?? '',
    sandbox: sandboxOf(task),
    ...(healthy === undefined ? {} : { healthy }),
  };
}

/** Every outstanding offer, with its agent's hostname, its framework's name and its age. */
export function offerRows(ctx: MasterContext): OffersPage['offers'] {
  const now = ctx.clock.now();
  return ctx.offers.all().map((o) => ({
    ...offerJson(o),
    agent_hostname: ctx.agents.get(o.agentId)?.info.hostname ?? '',
    framework_name: ctx.frameworks.get(o.frameworkId)?.info.name ?? '',
    age_secs: Math.max(0, (now - o.createdAt) / 1000),
  }));
}
