// Calls from a registered agent: status updates and heartbeats.
import { AgentEventType, type mesocosm } from '@mesocosm/protocol';
import { sendToAgent, sendUpdate } from './send.js';
import { recordStatus } from './task-records.js';
import type { AgentRecord, MasterContext } from './types.js';

/**
 * A status update: recorded on the task, forwarded to the framework as UPDATE
 * (uuid kept, so the framework acknowledges it). A disconnected framework does
 * not get it now: the agent resends until acknowledged.
 */
export function statusUpdate(ctx: MasterContext, agent: AgentRecord, update: mesocosm.v1.AgentCall.IUpdate): void {
  const frameworkId = update.frameworkId?.value ?? '';
  const taskId = update.status?.taskId?.value ?? '';
  if (!update.status || !taskId || !frameworkId) {
    ctx.logger.warn('status update without task or framework ID ignored', { agentId: agent.id, taskId, frameworkId });
    return;
  }
  const status = { ...update.status, agentId: { value: agent.id } };
  const acknowledgeOurselves = (): void => {
    if (!status.uuid || status.uuid.length === 0) return;
    sendToAgent(ctx, agent, {
      type: AgentEventType.ACKNOWLEDGE,
      acknowledge: { frameworkId: { value: frameworkId }, taskId: { value: taskId }, uuid: status.uuid },
    });
  };
  const fw = ctx.frameworks.get(frameworkId);
  if (!fw) {
    // Nobody will acknowledge it: the framework is gone. Stop the agent resending.
    if (ctx.completedFrameworks.has(frameworkId)) acknowledgeOurselves();
    return;
  }
  const ended = fw.completedTasks.get(taskId);
  if (ended && !fw.tasks.has(taskId) && !sameUuid(ended.latest?.uuid, status.uuid)) {
    // The framework was already given this task's terminal state (e.g. TASK_LOST when its
    // agent went unreachable): a later update would be a second terminal transition, or a
    // step back. Only a resend of that terminal update itself goes through.
    ctx.logger.info('update for a task the framework saw end: acknowledged here, not forwarded', {
      frameworkId,
      taskId,
      ended: ended.latest?.state,
    });
    acknowledgeOurselves();
    return;
  }
  const task = fw.tasks.get(taskId);
  if (task && task.agentId === agent.id) recordStatus(ctx, task, status);
  sendUpdate(ctx, fw, status);
}

function sameUuid(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean {
  if (!a || !b || a.length === 0 || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
