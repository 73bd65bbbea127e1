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
  const fw = ctx.frameworks.get(frameworkId);
  if (!fw) {
    if (ctx.completedFrameworks.has(frameworkId) && status.uuid && status.uuid.length > 0) {
      // Nobody will acknowledge it: the framework is gone. Stop the agent resending.
      sendToAgent(ctx, agent, {
        type: AgentEventType.ACKNOWLEDGE,
        acknowledge: { frameworkId: { value: frameworkId }, taskId: { value: taskId }, uuid: status.uuid },
      });
    }
    return;
  }
  const task = fw.tasks.get(taskId);
  if (task && task.agentId === agent.id) recordStatus(ctx, task, status);
  sendUpdate(ctx, fw, status);
}
