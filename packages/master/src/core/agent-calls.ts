// Calls from a registered agent: status updates and executors' messages.
import { AgentEventType, EventType, MAX_MESSAGE_DATA_BYTES, type mesocosm } from '@mesocosm/protocol';
import { sendToAgent, sendToFramework, sendUpdate } from './send.js';
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
  // The uuid is a view into the whole message buffer it was decoded from (a
  // shared pool slab): copied, the task's history keeps 16 bytes, not the slab.
  const uuid = update.status.uuid;
  const status = { ...update.status, agentId: { value: agent.id }, ...(uuid ? { uuid: new Uint8Array(uuid) } : {}) };
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
  if (task && task.agentId !== agent.id) {
    // A copy the master told this agent to kill (agent-tasks.ts): the framework knows the task
    // on its own agent only, so the copy's updates stop here.
    ctx.logger.info('update for a task the master knows on another agent: acknowledged here, not forwarded', {
      agentId: agent.id,
      frameworkId,
      taskId,
      knownOn: task.agentId,
    });
    acknowledgeOurselves();
    return;
  }
  if (task) recordStatus(ctx, task, status);
  sendUpdate(ctx, fw, status);
}

/**
 * An executor's MESSAGE for its framework (Mesos' ExecutorToFrameworkMessage),
 * forwarded as an Event MESSAGE {agent_id, executor_id, data}. Best effort, as
 * in Mesos: nothing is stored or resent, and a message without IDs, over
 * MAX_MESSAGE_DATA_BYTES, or for a framework that is unknown or not connected
 * is dropped and logged.
 */
export function executorMessage(ctx: MasterContext, agent: AgentRecord, message: mesocosm.v1.AgentCall.IMessage): void {
  const frameworkId = message.frameworkId?.value ?? '';
  const executorId = message.executorId?.value ?? '';
  const data = message.data ?? new Uint8Array();
  const drop = (why: string, level: 'warn' | 'debug' = 'warn'): void =>
    ctx.logger[level](`executor message dropped: ${why}`, {
      agentId: agent.id,
      frameworkId,
      executorId,
      bytes: data.length,
    });
  if (!frameworkId || !executorId) return drop('it names no framework or no executor');
  if (data.length > MAX_MESSAGE_DATA_BYTES) return drop(`its data is over ${MAX_MESSAGE_DATA_BYTES} bytes`);
  const fw = ctx.frameworks.get(frameworkId);
  if (!fw) return drop('the framework is unknown or gone');
  const sent = sendToFramework(ctx, fw, {
    type: EventType.MESSAGE,
    message: { agentId: { value: agent.id }, executorId: { value: executorId }, data },
  });
  if (!sent) drop('the framework is not connected', 'debug');
}

function sameUuid(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean {
  if (!a || !b || a.length === 0 || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
