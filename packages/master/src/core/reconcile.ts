// RECONCILE, with Mesos' rules for tasks the master does not know:
//   agent still recovering (or, without agent_id, any agent recovering): no answer yet,
//     answered once the agent re-registers or becomes gone;
//   agent gone: TASK_GONE (TASK_GONE_BY_OPERATOR when an operator removed it), REASON_AGENT_REMOVED;
//   agent unreachable: TASK_UNREACHABLE;  agent registered: TASK_GONE;  agent unknown: TASK_UNKNOWN;
// and TASK_LOST instead of all of these for frameworks that are not PARTITION_AWARE.
import { TaskState, TaskStatusReason, type ITaskStatus, type mesocosm } from '@mesocosm/protocol';
import { isPartitionAware } from './agent-liveness.js';
import { masterStatus, sendUpdate } from './send.js';
import { currentStatus, findTask } from './task-records.js';
import { MAX_PENDING_RECONCILES, type FrameworkRecord, type MasterContext } from './types.js';

/** The answer for one task, or undefined when it must wait for a recovering agent. */
function answer(ctx: MasterContext, fw: FrameworkRecord, taskId: string, agentId: string): ITaskStatus | undefined {
  const task = findTask(fw, taskId);
  if (task) return currentStatus(ctx, task, TaskStatusReason.REASON_RECONCILIATION);
  if (agentId ? ctx.recovered.has(agentId) : ctx.recovered.size > 0) return undefined;
  const aware = isPartitionAware(fw);
  const gone = agentId ? ctx.gone.get(agentId) : undefined;
  const agent = agentId ? ctx.agents.get(agentId) : undefined;
  let state: TaskState;
  let why: string;
  if (gone) {
    state = gone.byOperator ? TaskState.TASK_GONE_BY_OPERATOR : TaskState.TASK_GONE;
    why = `agent '${agentId}' was removed for good`;
  } else if (agent?.status === 'unreachable') {
    state = TaskState.TASK_UNREACHABLE;
    why = `agent '${agentId}' is unreachable`;
  } else if (agent) {
    state = TaskState.TASK_GONE;
    why = `agent '${agentId}' is registered and does not run it`;
  } else {
    state = TaskState.TASK_UNKNOWN;
    why = agentId ? `agent '${agentId}' is unknown` : 'no agent_id was given';
  }
  return masterStatus(ctx, {
    taskId,
    agentId,
    state: aware ? state : TaskState.TASK_LOST,
    reason: gone ? TaskStatusReason.REASON_AGENT_REMOVED : TaskStatusReason.REASON_RECONCILIATION,
    message: `task '${taskId}' is unknown to the master: ${why}`,
  });
}

/** RECONCILE: explicit (the listed tasks) or implicit (every live task). */
export function reconcile(
  ctx: MasterContext,
  fw: FrameworkRecord,
  call: mesocosm.v1.Call.IReconcile | null | undefined,
): void {
  const listed = call?.tasks ?? [];
  if (listed.length === 0) {
    for (const task of fw.tasks.values())
      sendUpdate(ctx, fw, currentStatus(ctx, task, TaskStatusReason.REASON_RECONCILIATION));
    return;
  }
  for (const entry of listed) {
    const taskId = entry.taskId?.value ?? '';
    const agentId = entry.agentId?.value ?? '';
    const status = answer(ctx, fw, taskId, agentId);
    if (status) {
      sendUpdate(ctx, fw, status);
      continue;
    }
    ctx.pendingReconciles.push({ frameworkId: fw.id, taskId, agentId });
    if (ctx.pendingReconciles.length > MAX_PENDING_RECONCILES) ctx.pendingReconciles.shift();
  }
}

/** Answers the reconciliations that no longer wait for a recovering agent. */
export function answerPendingReconciles(ctx: MasterContext): void {
  const still: typeof ctx.pendingReconciles = [];
  for (const p of ctx.pendingReconciles) {
    const fw = ctx.frameworks.get(p.frameworkId);
    if (!fw) continue;
    const status = answer(ctx, fw, p.taskId, p.agentId);
    if (status) sendUpdate(ctx, fw, status);
    else still.push(p);
  }
  ctx.pendingReconciles = still;
}
