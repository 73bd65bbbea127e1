// Outgoing messages: every event carries the leader epoch; master-made status
// updates carry no uuid (nothing to acknowledge).
import {
  AgentEventType,
  EventType,
  TaskStatusSource,
  type CallType,
  type IAgentEvent,
  type IEvent,
  type ITaskStatus,
  type TaskState,
  type TaskStatusReason,
} from '@mesocosm/protocol';
import type { AgentConnection, AgentRecord, FrameworkConnection, FrameworkRecord, MasterContext } from './types.js';

/** Sends an event on a scheduler stream, stamped with our epoch. */
export function sendToConnection(ctx: MasterContext, conn: FrameworkConnection, event: IEvent): void {
  conn.send({ ...event, epoch: ctx.epoch });
}

/** Sends an event to a framework if it is connected; returns whether it was sent. */
export function sendToFramework(ctx: MasterContext, fw: FrameworkRecord, event: IEvent): boolean {
  if (!fw.conn) return false;
  sendToConnection(ctx, fw.conn, event);
  return true;
}

/** An ERROR event: `code` is a stable error code, `message` says what to fix. */
export function sendError(
  ctx: MasterContext,
  conn: FrameworkConnection,
  code: string,
  message: string,
  callType?: CallType,
): void {
  ctx.counters.invalidCalls++;
  sendToConnection(ctx, conn, {
    type: EventType.ERROR,
    error: { code, message, ...(callType === undefined ? {} : { callType }) },
  });
}

/** Sends an event on an agent stream, stamped with our epoch. */
export function sendToAgentConnection(ctx: MasterContext, conn: AgentConnection, event: IAgentEvent): void {
  conn.send({ ...event, epoch: ctx.epoch });
}

/** Sends an event to an agent if it is connected; returns whether it was sent. */
export function sendToAgent(ctx: MasterContext, agent: AgentRecord | undefined, event: IAgentEvent): boolean {
  if (!agent?.conn) return false;
  sendToAgentConnection(ctx, agent.conn, event);
  return true;
}

/** An ERROR event to an agent. */
export function sendAgentError(ctx: MasterContext, conn: AgentConnection, code: string, message: string): void {
  sendToAgentConnection(ctx, conn, { type: AgentEventType.ERROR, error: { code, message } });
}

/** A status update the master makes itself (no uuid: it needs no acknowledgement). */
export function masterStatus(
  ctx: MasterContext,
  fields: { taskId: string; agentId?: string; state: TaskState; reason: TaskStatusReason; message: string },
): ITaskStatus {
  return {
    taskId: { value: fields.taskId },
    ...(fields.agentId ? { agentId: { value: fields.agentId } } : {}),
    state: fields.state,
    reason: fields.reason,
    message: fields.message,
    source: TaskStatusSource.SOURCE_MASTER,
    timestamp: ctx.clock.now() / 1000,
  };
}

/** Sends an UPDATE event with `status` to the framework, if connected. */
export function sendUpdate(ctx: MasterContext, fw: FrameworkRecord, status: ITaskStatus): boolean {
  return sendToFramework(ctx, fw, { type: EventType.UPDATE, update: { status } });
}

/** Sends an UPDATE event on a given stream (for frameworks not yet recorded). */
export function sendUpdateOn(ctx: MasterContext, conn: FrameworkConnection, status: ITaskStatus): void {
  sendToConnection(ctx, conn, { type: EventType.UPDATE, update: { status } });
}
