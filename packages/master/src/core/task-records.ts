// Task bookkeeping: launch, status history, completion (and the resources
// going back to the allocator when a task ends).
import {
  isTerminalState,
  taskStateName,
  TaskState,
  TaskStatusReason,
  uuidToString,
  type ITaskInfo,
  type ITaskStatus,
  type Resources,
} from '@mesocosm/protocol';
import { scheduleDrainCheck } from './maintenance.js';
import { recover } from './offer-lifecycle.js';
import { masterStatus } from './send.js';
import {
  MAX_COMPLETED_TASKS,
  MAX_STATUS_HISTORY,
  type AgentRecord,
  type FrameworkRecord,
  type MasterContext,
  type TaskRecord,
} from './types.js';

/** Records a task (TASK_STAGING unless a state is given) on a framework and its agent. */
export function addTask(
  ctx: MasterContext,
  fw: FrameworkRecord,
  agent: AgentRecord,
  info: ITaskInfo,
  role: string,
  resources: Resources,
  state: TaskState = TaskState.TASK_STAGING,
  latest?: ITaskStatus,
): TaskRecord {
  const task: TaskRecord = {
    frameworkId: fw.id,
    taskId: info.taskId?.value ?? '',
    agentId: agent.id,
    info,
    role,
    resources,
    state,
    statuses: latest ? [latest] : [],
    latest,
  };
  fw.tasks.set(task.taskId, task);
  agent.tasks.add(task);
  ctx.changes.task(task);
  return task;
}

/** A live task, or a completed one. */
export function findTask(fw: FrameworkRecord, taskId: string): TaskRecord | undefined {
  return fw.tasks.get(taskId) ?? fw.completedTasks.get(taskId);
}

/** The task's latest status, or one made from its state (e.g. a task still staging). */
export function currentStatus(
  ctx: MasterContext,
  task: TaskRecord,
  reason = TaskStatusReason.REASON_NONE,
): ITaskStatus {
  if (task.latest) {
    // Reconciliation answers carry the latest state but nothing to acknowledge.
    const { uuid: _uuid, ...rest } = task.latest;
    return { ...rest, reason: reason === TaskStatusReason.REASON_NONE ? rest.reason : reason };
  }
  return masterStatus(ctx, {
    taskId: task.taskId,
    agentId: task.agentId,
    state: task.state,
    reason,
    message: `task is ${taskStateName(task.state)}`,
  });
}

/**
 * Appends a status to the task's history and moves it to completed when the
 * state is terminal. Returns false when the same update (uuid) was already recorded.
 */
export function recordStatus(ctx: MasterContext, task: TaskRecord, status: ITaskStatus): boolean {
  const uuid = uuidToString(status.uuid);
  if (uuid !== '' && task.statuses.some((s) => uuidToString(s.uuid) === uuid)) return false;
  task.statuses.push(status);
  if (task.statuses.length > MAX_STATUS_HISTORY) task.statuses.shift();
  task.latest = status;
  task.state = status.state ?? task.state;
  ctx.changes.task(task);
  if (isTerminalState(task.state)) completeTask(ctx, task, true);
  return true;
}

/** Moves a task from live to completed; `recoverIt` returns its resources to the allocator. */
export function completeTask(ctx: MasterContext, task: TaskRecord, recoverIt: boolean): void {
  const fw = ctx.frameworks.get(task.frameworkId) ?? ctx.completedFrameworks.get(task.frameworkId);
  const agent = ctx.agents.get(task.agentId);
  if (!fw || fw.tasks.get(task.taskId) !== task) return;
  fw.tasks.delete(task.taskId);
  agent?.tasks.delete(task);
  fw.completedTasks.set(task.taskId, task);
  if (fw.completedTasks.size > MAX_COMPLETED_TASKS) {
    const oldest = fw.completedTasks.keys().next();
    if (!oldest.done) fw.completedTasks.delete(oldest.value);
  }
  const name = taskStateName(task.state);
  ctx.counters.terminal.set(name, (ctx.counters.terminal.get(name) ?? 0) + 1);
  if (recoverIt) recover(ctx, task.frameworkId, task.agentId, task.resources, 0, task.role);
  scheduleDrainCheck(ctx, task.agentId);
}

/** Sets a master-made terminal (or unreachable) state on a task and returns the status to send. */
export function markTask(
  ctx: MasterContext,
  task: TaskRecord,
  state: TaskState,
  reason: TaskStatusReason,
  message: string,
  recoverIt: boolean,
): ITaskStatus {
  const status = masterStatus(ctx, { taskId: task.taskId, agentId: task.agentId, state, reason, message });
  task.statuses.push(status);
  if (task.statuses.length > MAX_STATUS_HISTORY) task.statuses.shift();
  task.latest = status;
  task.state = state;
  ctx.changes.task(task);
  if (isTerminalState(state)) completeTask(ctx, task, recoverIt);
  return status;
}
