// The scheduler calls other than SUBSCRIBE and ACCEPT.
import { AgentEventType, CallType, TaskState, TaskStatusReason, type mesocosm } from '@mesocosm/protocol';
import { refuseSecondsOf } from './accept.js';
import { recover } from './offer-lifecycle.js';
import { masterStatus, sendError, sendToAgent, sendUpdate } from './send.js';
import { currentStatus, findTask } from './task-records.js';
import type { FrameworkConnection, FrameworkRecord, MasterContext } from './types.js';

/** DECLINE: offers back to the allocator with the filter; reasons kept for the UI. */
export function decline(ctx: MasterContext, fw: FrameworkRecord, call: mesocosm.v1.Call.IDecline): void {
  const refuse = refuseSecondsOf(ctx, call.filters);
  for (const { value } of call.offerIds ?? []) {
    const entry = ctx.offers.get(value ?? '');
    if (!entry || entry.frameworkId !== fw.id) {
      ctx.logger.debug('decline of an unknown offer ignored', { frameworkId: fw.id, offerId: value });
      continue;
    }
    ctx.offers.remove(entry.offerId);
    ctx.counters.offersDeclined++;
    recover(ctx, fw.id, entry.agentId, entry.resources, refuse, entry.role);
  }
  if ((call.reasons ?? []).length > 0) {
    fw.declineReasons = (call.reasons ?? []).map((r) => ({
      reason: r.reason ?? '',
      detail: r.detail ?? '',
      count: r.count ?? 0,
    }));
    fw.declineReasonsTime = ctx.clock.now();
    ctx.changes.framework(fw.id);
  }
}

/** REVIVE: filters cleared, roles unsuppressed, allocation soon. */
export function revive(
  ctx: MasterContext,
  fw: FrameworkRecord,
  call: mesocosm.v1.Call.IRevive | null | undefined,
): void {
  const roles = call?.roles ?? [];
  ctx.allocator.revive(fw.id, roles.length > 0 ? roles : undefined);
  ctx.scheduleAllocation();
}

/** SUPPRESS: no offers for these roles (all when empty) until REVIVE. */
export function suppress(
  ctx: MasterContext,
  fw: FrameworkRecord,
  call: mesocosm.v1.Call.ISuppress | null | undefined,
): void {
  const roles = call?.roles ?? [];
  ctx.allocator.suppress(fw.id, roles.length > 0 ? roles : undefined);
}

/** KILL: KILL_TASK to the task's agent; an unknown task gets TASK_LOST (as Mesos). */
export function kill(
  ctx: MasterContext,
  fw: FrameworkRecord,
  conn: FrameworkConnection,
  call: mesocosm.v1.Call.IKill,
): void {
  const taskId = call.taskId?.value ?? '';
  if (!taskId) {
    sendError(ctx, conn, 'INVALID_ARGUMENT', 'kill.task_id is required', CallType.KILL);
    return;
  }
  const task = fw.tasks.get(taskId);
  if (!task) {
    const done = fw.completedTasks.get(taskId);
    sendUpdate(
      ctx,
      fw,
      done
        ? currentStatus(ctx, done, TaskStatusReason.REASON_RECONCILIATION)
        : masterStatus(ctx, {
            taskId,
            agentId: call.agentId?.value ?? '',
            state: TaskState.TASK_LOST,
            reason: TaskStatusReason.REASON_RECONCILIATION,
            message: `task '${taskId}' is unknown to the master`,
          }),
    );
    return;
  }
  const sent = sendToAgent(ctx, ctx.agents.get(task.agentId), {
    type: AgentEventType.KILL_TASK,
    killTask: { frameworkId: { value: fw.id }, taskId: { value: taskId }, killPolicy: call.killPolicy ?? null },
  });
  if (!sent) ctx.logger.warn('kill of a task on a disconnected agent not delivered', { taskId, agentId: task.agentId });
}

/** ACKNOWLEDGE: routed to the agent that owns the task. */
export function acknowledge(
  ctx: MasterContext,
  fw: FrameworkRecord,
  conn: FrameworkConnection,
  call: mesocosm.v1.Call.IAcknowledge,
): void {
  const taskId = call.taskId?.value ?? '';
  const agentId = findTask(fw, taskId)?.agentId ?? call.agentId?.value ?? '';
  if (!taskId || !call.uuid || call.uuid.length === 0) {
    sendError(
      ctx,
      conn,
      'INVALID_ARGUMENT',
      'acknowledge needs task_id and the uuid of the update',
      CallType.ACKNOWLEDGE,
    );
    return;
  }
  const sent = sendToAgent(ctx, ctx.agents.get(agentId), {
    type: AgentEventType.ACKNOWLEDGE,
    acknowledge: { frameworkId: { value: fw.id }, taskId: { value: taskId }, uuid: call.uuid },
  });
  if (!sent) ctx.logger.debug('acknowledgement for an agent not connected dropped', { taskId, agentId });
}

/** MESSAGE: framework data for an executor, as an AgentEvent MESSAGE. */
export function message(
  ctx: MasterContext,
  fw: FrameworkRecord,
  conn: FrameworkConnection,
  call: mesocosm.v1.Call.IMessage,
): void {
  const agentId = call.agentId?.value ?? '';
  const sent = sendToAgent(ctx, ctx.agents.get(agentId), {
    type: AgentEventType.MESSAGE,
    message: {
      frameworkId: { value: fw.id },
      executorId: call.executorId ?? null,
      data: call.data ?? new Uint8Array(),
    },
  });
  if (!sent)
    sendError(
      ctx,
      conn,
      'UNKNOWN_AGENT',
      `agent '${agentId}' is not connected; message not delivered`,
      CallType.MESSAGE,
    );
}

/** SHUTDOWN (an executor): there is no executor shutdown on the agent API, so its tasks are killed. */
export function shutdown(
  ctx: MasterContext,
  fw: FrameworkRecord,
  conn: FrameworkConnection,
  call: mesocosm.v1.Call.IShutdown,
): void {
  const executorId = call.executorId?.value ?? '';
  const agentId = call.agentId?.value ?? '';
  const tasks = [...fw.tasks.values()].filter(
    (t) => t.agentId === agentId && (t.info.executor?.executorId?.value ?? t.taskId) === executorId,
  );
  if (tasks.length === 0) {
    sendError(
      ctx,
      conn,
      'UNKNOWN_TASK',
      `no live task of executor '${executorId}' on agent '${agentId}'`,
      CallType.SHUTDOWN,
    );
    return;
  }
  for (const t of tasks) {
    sendToAgent(ctx, ctx.agents.get(agentId), {
      type: AgentEventType.KILL_TASK,
      killTask: { frameworkId: { value: fw.id }, taskId: { value: t.taskId } },
    });
  }
}
