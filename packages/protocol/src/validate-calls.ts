// Size checks of whole calls, made where a call enters a server: a scheduler
// Call (the master), an AgentCall (the master), an ExecutorCall (the agent).
// Each throws a LimitExceededError or a ValidationError naming the field and
// the bound, before any handler looks at the call; meaning is checked later,
// where the call is handled (validate.ts, the master's ACCEPT plan).
import { boundBytes, boundCount, boundFrameworkInfo, boundId, boundStatus, boundTask, boundText } from './bounds.js';
import { LimitExceededError } from './errors.js';
import { mesocosm } from './generated/proto.js';
import {
  MAX_AGENT_FRAMEWORKS,
  MAX_AGENT_TASKS,
  MAX_DECLINE_REASONS,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_OFFER_IDS_PER_CALL,
  MAX_OPERATIONS_PER_ACCEPT,
  MAX_RECONCILE_TASKS,
  MAX_ROLES,
  MAX_TASKS_PER_ACCEPT,
  MAX_TEXT_LENGTH,
  MAX_UUID_BYTES,
} from './limits.js';

type Maybe<T> = T | null | undefined;

function boundIds(ids: Maybe<readonly { value?: Maybe<string> }[]>, field: string, max: number): void {
  boundCount(ids, field, max);
  (ids ?? []).forEach((id, i) => boundId(id, `${field}[${i}]`));
}

function boundRoles(roles: Maybe<readonly string[]>, field: string): void {
  boundCount(roles, field, MAX_ROLES);
  (roles ?? []).forEach((r, i) => boundText(r, `${field}[${i}]`, MAX_ID_LENGTH));
}

function boundAccept(accept: mesocosm.v1.Call.IAccept, field: string): void {
  boundIds(accept.offerIds, `${field}.offer_ids`, MAX_OFFER_IDS_PER_CALL);
  const operations = accept.operations ?? [];
  boundCount(operations, `${field}.operations`, MAX_OPERATIONS_PER_ACCEPT);
  let tasks = 0;
  for (const op of operations) tasks += op.launch?.taskInfos?.length ?? 0;
  if (tasks > MAX_TASKS_PER_ACCEPT) {
    throw new LimitExceededError(`${field}.operations[].launch.task_infos`, tasks, MAX_TASKS_PER_ACCEPT, 'tasks');
  }
  operations.forEach((op, i) =>
    (op.launch?.taskInfos ?? []).forEach((t, j) => boundTask(t, `${field}.operations[${i}].launch.task_infos[${j}]`)),
  );
}

function boundDecline(decline: mesocosm.v1.Call.IDecline, field: string): void {
  boundIds(decline.offerIds, `${field}.offer_ids`, MAX_OFFER_IDS_PER_CALL);
  const reasons = decline.reasons ?? [];
  boundCount(reasons, `${field}.reasons`, MAX_DECLINE_REASONS);
  reasons.forEach((r, i) => {
    boundText(r.reason, `${field}.reasons[${i}].reason`, MAX_NAME_LENGTH);
    boundText(r.detail, `${field}.reasons[${i}].detail`, MAX_TEXT_LENGTH);
  });
}

/**
 * Checks the sizes of a scheduler Call: every ID, every list (offer IDs,
 * operations, tasks per ACCEPT, decline reasons, roles, reconciled tasks)
 * and every string and byte field. Throws a {@link LimitExceededError}
 * naming the field and the bound.
 */
export function validateCallBounds(call: mesocosm.v1.ICall): void {
  boundId(call.frameworkId, 'call.framework_id');
  boundText(call.streamId, 'call.stream_id', MAX_ID_LENGTH);
  if (call.subscribe) {
    boundFrameworkInfo(call.subscribe.frameworkInfo, 'subscribe.framework_info', MAX_ROLES);
    boundRoles(call.subscribe.suppressedRoles, 'subscribe.suppressed_roles');
  }
  if (call.accept) boundAccept(call.accept, 'accept');
  if (call.decline) boundDecline(call.decline, 'decline');
  if (call.revive) boundRoles(call.revive.roles, 'revive.roles');
  if (call.suppress) boundRoles(call.suppress.roles, 'suppress.roles');
  if (call.kill) {
    boundId(call.kill.taskId, 'kill.task_id');
    boundId(call.kill.agentId, 'kill.agent_id');
  }
  if (call.shutdown) {
    boundId(call.shutdown.executorId, 'shutdown.executor_id');
    boundId(call.shutdown.agentId, 'shutdown.agent_id');
  }
  if (call.acknowledge) {
    boundId(call.acknowledge.taskId, 'acknowledge.task_id');
    boundId(call.acknowledge.agentId, 'acknowledge.agent_id');
    boundBytes(call.acknowledge.uuid, 'acknowledge.uuid', MAX_UUID_BYTES);
  }
  if (call.reconcile) {
    const tasks = call.reconcile.tasks ?? [];
    boundCount(tasks, 'reconcile.tasks', MAX_RECONCILE_TASKS);
    tasks.forEach((t, i) => {
      boundId(t.taskId, `reconcile.tasks[${i}].task_id`);
      boundId(t.agentId, `reconcile.tasks[${i}].agent_id`);
    });
  }
  if (call.message) {
    boundId(call.message.agentId, 'message.agent_id');
    boundId(call.message.executorId, 'message.executor_id');
    boundBytes(call.message.data, 'message.data');
  }
}

/**
 * Checks the sizes of an AgentCall: the agent's info is checked on
 * registration (validate.ts); here the reported tasks and frameworks, status
 * updates and messages.
 */
export function validateAgentCallBounds(call: mesocosm.v1.IAgentCall): void {
  boundId(call.agentId, 'agent_call.agent_id');
  const register = call.register;
  if (register) {
    boundText(register.version, 'register.version', MAX_NAME_LENGTH);
    const tasks = register.tasks ?? [];
    boundCount(tasks, 'register.tasks', MAX_AGENT_TASKS);
    tasks.forEach((t, i) => {
      boundId(t.frameworkId, `register.tasks[${i}].framework_id`);
      if (t.task) boundTask(t.task, `register.tasks[${i}].task`);
      boundStatus(t.status, `register.tasks[${i}].status`);
    });
    const frameworks = register.frameworks ?? [];
    boundCount(frameworks, 'register.frameworks', MAX_AGENT_FRAMEWORKS);
    frameworks.forEach((f, i) => boundFrameworkInfo(f, `register.frameworks[${i}]`, MAX_ROLES));
  }
  if (call.update) {
    boundId(call.update.frameworkId, 'update.framework_id');
    boundStatus(call.update.status, 'update.status');
  }
  if (call.message) {
    boundId(call.message.frameworkId, 'message.framework_id');
    boundId(call.message.executorId, 'message.executor_id');
  }
}

/** Checks the sizes of an ExecutorCall (what a custom executor sends its agent). */
export function validateExecutorCallBounds(call: mesocosm.v1.IExecutorCall): void {
  boundId(call.executorId, 'executor_call.executor_id');
  boundId(call.frameworkId, 'executor_call.framework_id');
  if (call.subscribe) {
    const tasks = call.subscribe.unacknowledgedTasks ?? [];
    boundCount(tasks, 'subscribe.unacknowledged_tasks', MAX_AGENT_TASKS);
    tasks.forEach((t, i) => boundTask(t, `subscribe.unacknowledged_tasks[${i}]`));
    const updates = call.subscribe.unacknowledgedUpdates ?? [];
    boundCount(updates, 'subscribe.unacknowledged_updates', MAX_AGENT_TASKS);
    updates.forEach((u, i) => boundStatus(u, `subscribe.unacknowledged_updates[${i}]`));
  }
  if (call.update) boundStatus(call.update.status, 'update.status');
}
