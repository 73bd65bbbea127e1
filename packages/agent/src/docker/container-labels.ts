// How the agent marks its Docker containers so that a restarted agent finds
// them again: a name, and labels carrying the IDs and the task itself. Pure.
import { v1, type IFrameworkInfo, type ITaskInfo } from '@mesocosm/protocol';

/** Label keys put on every container the agent starts. */
export const LABELS = {
  agentId: 'mesocosm.agent_id',
  frameworkId: 'mesocosm.framework_id',
  executorId: 'mesocosm.executor_id',
  taskId: 'mesocosm.task_id',
  /** The agent's work dir: tells an orphan of this work dir from another agent's container. */
  workDir: 'mesocosm.work_dir',
  sandbox: 'mesocosm.sandbox',
  /** The TaskInfo and FrameworkInfo (base64 protobuf), for re-registration after a restart. */
  taskInfo: 'mesocosm.task_info',
  frameworkInfo: 'mesocosm.framework_info',
} as const;

/** What identifies one container of the agent. */
export interface ContainerIdentity {
  readonly agentId: string;
  readonly frameworkId: string;
  readonly taskId: string;
  readonly workDir: string;
  readonly sandbox: string;
  readonly task: ITaskInfo;
  readonly framework: IFrameworkInfo;
}

/** Docker allows `[a-zA-Z0-9][a-zA-Z0-9_.-]*` in names: anything else becomes `_`. */
export function sanitizeName(s: string): string {
  const clean = s.replace(/[^a-zA-Z0-9_.-]/g, '_');
  return /^[a-zA-Z0-9]/.test(clean) ? clean : `x${clean}`;
}

/** `mesocosm-<agentId>-<taskId>-<run>`, sanitised (`run` is the sandbox's last element, e.g. `run-1`). */
export function containerName(agentId: string, taskId: string, run: string): string {
  return sanitizeName(`mesocosm-${agentId}-${taskId}-${run}`);
}

/** The labels of a container: the task's own labels, then ours (which win). */
export function containerLabels(id: ContainerIdentity): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const l of id.task.labels?.labels ?? []) if (l.key) labels[l.key] = l.value ?? '';
  labels[LABELS.agentId] = id.agentId;
  labels[LABELS.frameworkId] = id.frameworkId;
  labels[LABELS.executorId] = id.taskId;
  labels[LABELS.taskId] = id.taskId;
  labels[LABELS.workDir] = id.workDir;
  labels[LABELS.sandbox] = id.sandbox;
  labels[LABELS.taskInfo] = Buffer.from(v1.TaskInfo.encode(v1.TaskInfo.fromObject(id.task)).finish()).toString(
    'base64',
  );
  labels[LABELS.frameworkInfo] = Buffer.from(
    v1.FrameworkInfo.encode(v1.FrameworkInfo.fromObject(id.framework)).finish(),
  ).toString('base64');
  return labels;
}

/** The identity of a container from its labels; a reason when they are not ours or are damaged. */
export function identityFromLabels(labels: Readonly<Record<string, string>>): ContainerIdentity | { problem: string } {
  const need = (k: string): string | undefined => (labels[k] === undefined || labels[k] === '' ? undefined : labels[k]);
  const agentId = need(LABELS.agentId);
  const frameworkId = need(LABELS.frameworkId);
  const taskId = need(LABELS.taskId);
  const taskB64 = need(LABELS.taskInfo);
  const frameworkB64 = need(LABELS.frameworkInfo);
  if (!agentId || !frameworkId || !taskId || !taskB64 || !frameworkB64)
    return { problem: 'a mesocosm label is missing (agent, framework, task ID or the task info)' };
  try {
    const task = v1.TaskInfo.decode(Buffer.from(taskB64, 'base64'));
    const framework = v1.FrameworkInfo.decode(Buffer.from(frameworkB64, 'base64'));
    return {
      agentId,
      frameworkId,
      taskId,
      workDir: labels[LABELS.workDir] ?? '',
      sandbox: labels[LABELS.sandbox] ?? '',
      task,
      framework,
    };
  } catch (err) {
    return { problem: `the task info label cannot be decoded: ${err instanceof Error ? err.message : String(err)}` };
  }
}
