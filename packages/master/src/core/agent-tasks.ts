// Merging what a re-registering agent reports (its tasks, their latest
// statuses, its frameworks) into the master's model.
import {
  AgentEventType,
  isTerminalState,
  Resources,
  TaskState,
  TaskStatusReason,
  UNRESERVED_ROLE,
  ValidationError,
  type IFrameworkInfo,
  type ITaskInfo,
  type ITaskStatus,
  type mesocosm,
} from '@mesocosm/protocol';
import { isPartitionAware } from './agent-liveness.js';
import { addFramework, startFailoverTimer } from './frameworks.js';
import { masterStatus, sendToAgent, sendUpdate } from './send.js';
import { addTask, markTask, recordStatus } from './task-records.js';
import type { AgentRecord, MasterContext } from './types.js';

function resourcesOf(ctx: MasterContext, info: ITaskInfo): Resources {
  try {
    return Resources.fromProto(info.resources).add(Resources.fromProto(info.executor?.resources));
  } catch (err) {
    ctx.logger.warn('re-registered task has malformed resources; counting none', {
      taskId: info.taskId?.value,
      error: String(err),
    });
    return Resources.EMPTY;
  }
}

/**
 * Refuses a registration whose live reported tasks use more than the agent's
 * total: the master could not account for them (an agent over its total
 * would have negative free resources). A real agent never does: it only runs
 * what was offered from its own resources. Pure but for the malformed-resource
 * warning. (Found by the fuzz run, test/fuzz.)
 */
export function checkReportedTasksFit(
  ctx: MasterContext,
  reg: mesocosm.v1.AgentCall.IRegister | null | undefined,
): void {
  let total: Resources;
  try {
    total = Resources.fromProto(reg?.agentInfo?.resources);
  } catch {
    return; // registration refuses a malformed agent_info itself, naming the field
  }
  let used = Resources.EMPTY;
  for (const t of reg?.tasks ?? []) {
    if (t.status && isTerminalState(t.status.state)) continue;
    used = used.add(resourcesOf(ctx, t.task ?? {}));
  }
  if (!total.contains(used)) {
    throw new ValidationError(
      'register.tasks',
      `the reported tasks use ${used.toString()}, more than the agent's resources ${total.toString()}`,
    );
  }
}

/** A task the agent reports that the master does not expect there: KILL_TASK to the agent, as Mesos does. */
function killReportedCopy(ctx: MasterContext, agent: AgentRecord, frameworkId: string, taskId: string): void {
  sendToAgent(ctx, agent, {
    type: AgentEventType.KILL_TASK,
    killTask: { frameworkId: { value: frameworkId }, taskId: { value: taskId } },
  });
}

/** Merges the tasks a (re-)registering agent reports. `wasKnown`: the master knew this agent already. */
export function mergeReportedTasks(
  ctx: MasterContext,
  agent: AgentRecord,
  reg: mesocosm.v1.AgentCall.IRegister,
  wasKnown: boolean,
): void {
  const listed = new Map<string, IFrameworkInfo>();
  for (const f of reg.frameworks ?? []) if (f.id?.value) listed.set(f.id.value, f);
  const graceMs = ctx.options.agentPingIntervalMs * ctx.options.maxAgentPingTimeouts;
  const reported = new Set<string>();

  for (const reportedTask of reg.tasks ?? []) {
    const info: ITaskInfo = reportedTask.task ?? {};
    const taskId = info.taskId?.value;
    const frameworkId = reportedTask.frameworkId?.value;
    if (!taskId || !frameworkId) {
      ctx.logger.warn('re-registered task without a task or framework ID; ignored', { agentId: agent.id, taskId });
      continue;
    }
    reported.add(`${frameworkId}\u0000${taskId}`);
    if (ctx.completedFrameworks.has(frameworkId)) {
      sendToAgent(ctx, agent, {
        type: AgentEventType.SHUTDOWN_FRAMEWORK,
        shutdownFramework: { frameworkId: { value: frameworkId } },
      });
      continue;
    }
    let fw = ctx.frameworks.get(frameworkId);
    if (!fw) {
      // Learnt from the agent (e.g. after a master restart): kept until it re-subscribes.
      fw = addFramework(ctx, frameworkId, listed.get(frameworkId) ?? { name: frameworkId });
      startFailoverTimer(ctx, fw, graceMs);
    }
    const status: ITaskStatus | undefined = reportedTask.status ?? undefined;
    const live = fw.tasks.get(taskId);
    if (live?.agentId === agent.id) {
      if (live.state === TaskState.TASK_UNREACHABLE) {
        const back =
          status && !isTerminalState(status.state)
            ? { ...status, uuid: undefined }
            : masterStatus(ctx, {
                taskId,
                agentId: agent.id,
                state: TaskState.TASK_RUNNING,
                reason: TaskStatusReason.REASON_NONE,
                message: 'agent re-registered',
              });
        recordStatus(ctx, live, back);
        sendUpdate(ctx, fw, back);
      }
      continue;
    }
    if (live) {
      // The master knows it running on another agent (connected or away): one task ID runs in
      // one place as far as the framework is told. Ours stays; the copy here is killed, and its
      // updates are not forwarded (agent-calls.ts).
      ctx.logger.warn('re-registered agent reports a task the master knows on another agent: killing its copy', {
        agentId: agent.id,
        frameworkId,
        taskId,
        knownOn: live.agentId,
      });
      killReportedCopy(ctx, agent, frameworkId, taskId);
      continue;
    }
    if (fw.completedTasks.has(taskId)) {
      // The master already ended it (e.g. TASK_LOST while the agent was unreachable).
      killReportedCopy(ctx, agent, frameworkId, taskId);
      continue;
    }
    const resources = resourcesOf(ctx, info);
    const reserved = resources.roles().find((r) => r !== UNRESERVED_ROLE);
    const role = reserved ?? fw.roles[0] ?? UNRESERVED_ROLE;
    const task = addTask(ctx, fw, agent, info, role, resources, TaskState.TASK_RUNNING);
    if (status) recordStatus(ctx, task, status);
  }

  if (!wasKnown) return;
  for (const task of [...agent.tasks]) {
    if (reported.has(`${task.frameworkId}\u0000${task.taskId}`)) continue;
    const fw = ctx.frameworks.get(task.frameworkId);
    if (!fw) continue;
    const status = markTask(
      ctx,
      task,
      isPartitionAware(fw) ? TaskState.TASK_GONE : TaskState.TASK_LOST,
      TaskStatusReason.REASON_AGENT_RESTARTED,
      `agent ${agent.id} re-registered without this task`,
      agent.inAllocator,
    );
    sendUpdate(ctx, fw, status);
  }
}
