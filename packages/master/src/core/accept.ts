// ACCEPT: validate the whole call first (accept-plan.ts), then either launch
// every task or launch nothing; unused resources go back with the filter.
import {
  AgentEventType,
  CallType,
  TaskState,
  TaskStatusReason,
  type IFilters,
  type ITaskInfo,
  type mesocosm,
} from '@mesocosm/protocol';
import type { OutstandingOffer } from '../offers/index.js';
import { planAccept } from './accept-plan.js';
import { authorizeLaunch } from './framework-auth.js';
import { recover } from './offer-lifecycle.js';
import { masterStatus, sendError, sendToAgent, sendUpdate } from './send.js';
import { addTask } from './task-records.js';
import type { FrameworkConnection, FrameworkRecord, MasterContext } from './types.js';

/** `filters.refuse_seconds`, or the default when unset or not a sane number. */
export function refuseSecondsOf(ctx: MasterContext, filters: IFilters | null | undefined): number {
  const v = filters?.refuseSeconds;
  return v == null || !Number.isFinite(v) || v < 0 ? ctx.options.defaultRefuseSeconds : v;
}

/** Handles an ACCEPT call of a subscribed framework. */
export function accept(
  ctx: MasterContext,
  fw: FrameworkRecord,
  conn: FrameworkConnection,
  call: mesocosm.v1.Call.IAccept,
): void {
  const refuse = refuseSecondsOf(ctx, call.filters);
  const plan = planAccept(
    {
      frameworkId: fw.id,
      offer: (id) => ctx.offers.get(id),
      isLiveTask: (id) => fw.tasks.has(id),
      isLiveExecutor: (agentId, executorId) =>
        [...fw.tasks.values()].some((t) => t.agentId === agentId && t.info.executor?.executorId?.value === executorId),
      ...(ctx.auth.hasAcls ? { authorizeTask: (task: ITaskInfo) => authorizeLaunch(ctx, fw, task) } : {}),
    },
    call.offerIds ?? [],
    call.operations ?? [],
  );
  const agent = plan.kind === 'launch' ? ctx.agents.get(plan.agentId) : undefined;
  if (plan.kind === 'launch' && agent?.status !== 'connected') {
    // Cannot happen while offers on disconnected agents are rescinded; kept as a guard.
    plan.offers.forEach((o) => ctx.offers.remove(o.offerId));
    for (const { info } of plan.launches) {
      sendUpdate(
        ctx,
        fw,
        masterStatus(ctx, {
          taskId: info.taskId?.value ?? '',
          agentId: plan.agentId,
          state: TaskState.TASK_DROPPED,
          reason: TaskStatusReason.REASON_AGENT_DISCONNECTED,
          message: `agent ${plan.agentId} is not connected`,
        }),
      );
    }
    return;
  }
  switch (plan.kind) {
    case 'invalid-offers': {
      returnOffers(ctx, fw, plan.offers, 0);
      for (const t of plan.tasks) {
        refuseTask(
          ctx,
          fw,
          t,
          TaskState.TASK_DROPPED,
          TaskStatusReason.REASON_INVALID_OFFERS,
          `ACCEPT refused: ${plan.message}`,
        );
      }
      sendError(ctx, conn, plan.code, `ACCEPT refused, nothing launched: ${plan.message}`, CallType.ACCEPT);
      return;
    }
    case 'invalid-tasks': {
      returnOffers(ctx, fw, plan.offers, refuse);
      const [firstIndex, firstError] = [...plan.errors.entries()][0] ?? [0, ''];
      const firstId = plan.tasks[firstIndex]?.taskId?.value ?? '';
      plan.tasks.forEach((t, i) => {
        const own = plan.errors.get(i);
        const message = own ?? `not launched: sibling task '${firstId}' in the same ACCEPT is invalid (${firstError})`;
        const reason = plan.unauthorized.has(i)
          ? TaskStatusReason.REASON_TASK_UNAUTHORIZED
          : TaskStatusReason.REASON_TASK_INVALID;
        refuseTask(ctx, fw, t, TaskState.TASK_ERROR, reason, message);
      });
      return;
    }
    case 'launch': {
      if (!agent) return;
      plan.offers.forEach((o) => ctx.offers.remove(o.offerId));
      const role = plan.offers[0]?.role ?? '*';
      for (const { info, resources } of plan.launches) {
        addTask(ctx, fw, agent, info, role, resources);
        sendToAgent(ctx, agent, { type: AgentEventType.RUN_TASK, runTask: { framework: fw.info, task: info } });
      }
      ctx.logger.debug('accepted offers', { frameworkId: fw.id, agentId: agent.id, tasks: plan.launches.length });
      recover(ctx, fw.id, agent.id, plan.unused, refuse, role);
      return;
    }
  }
}

/** Takes a refused ACCEPT's offers off the books and gives their resources back (with the call's filter). */
function returnOffers(
  ctx: MasterContext,
  fw: FrameworkRecord,
  offers: readonly OutstandingOffer[],
  refuseSeconds: number,
): void {
  for (const o of offers) {
    ctx.offers.remove(o.offerId);
    recover(ctx, fw.id, o.agentId, o.resources, refuseSeconds, o.role);
  }
}

/** Tells the framework a task of a refused ACCEPT was not launched, and why. */
function refuseTask(
  ctx: MasterContext,
  fw: FrameworkRecord,
  task: ITaskInfo,
  state: TaskState,
  reason: TaskStatusReason,
  message: string,
): void {
  const status = masterStatus(ctx, {
    taskId: task.taskId?.value ?? '',
    agentId: task.agentId?.value ?? '',
    state,
    reason,
    message,
  });
  sendUpdate(ctx, fw, status);
}
