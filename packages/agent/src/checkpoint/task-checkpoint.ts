// Per-task checkpoints of command tasks, under `<work_dir>/meta/tasks/
// <framework_id>/<task_id>/`: `task.json` (what a restarted agent needs to
// re-attach to the task, or to report it) and `exit_status` (see
// exit-status.ts). Written synchronously before the status update they go
// with is sent; removed once the task is terminal and fully acknowledged.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { v1, type IFrameworkInfo, type ITaskInfo, type TaskState } from '@mesocosm/protocol';
import type { TaskRecord } from '../tasks/task-book.js';
import { writeFileAtomicSync } from './atomic-write.js';

/** Which executor ran the task (only `command` tasks are checkpointed here; Docker ones are labelled containers). */
export type ExecutorKind = 'command';

/** What is checkpointed of one task. */
export interface TaskCheckpoint {
  readonly kind: ExecutorKind;
  readonly frameworkId: string;
  readonly taskId: string;
  readonly framework: IFrameworkInfo;
  readonly task: ITaskInfo;
  readonly containerId: string;
  readonly state: TaskState;
  readonly directory?: string;
  readonly pid?: number;
  /** /proc/<pid>/stat start time of `pid`: guards against pid reuse. */
  readonly pidStartTime?: number;
  readonly killRequested: boolean;
}

/** The checkpoint directory of all tasks. */
export function tasksMetaDir(workDir: string): string {
  return join(workDir, 'meta', 'tasks');
}

/** The checkpoint directory of one task. */
export function taskMetaDir(workDir: string, frameworkId: string, taskId: string): string {
  return join(tasksMetaDir(workDir), frameworkId, taskId);
}

/** Where a task's wrapper records its exit status. */
export function exitStatusFile(workDir: string, frameworkId: string, taskId: string): string {
  return join(taskMetaDir(workDir, frameworkId, taskId), 'exit_status');
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** The JSON text of a checkpoint (TaskInfo and FrameworkInfo as base64 protobuf, as the Docker labels). Pure. */
export function encodeTaskCheckpoint(c: TaskCheckpoint): string {
  const { task, framework, ...rest } = c;
  return `${JSON.stringify({
    ...rest,
    task: b64(v1.TaskInfo.encode(v1.TaskInfo.fromObject(task)).finish()),
    framework: b64(v1.FrameworkInfo.encode(v1.FrameworkInfo.fromObject(framework)).finish()),
  })}\n`;
}

/** Parses {@link encodeTaskCheckpoint}'s text; throws when it is damaged. Pure. */
export function decodeTaskCheckpoint(text: string): TaskCheckpoint {
  const raw = JSON.parse(text) as Omit<TaskCheckpoint, 'task' | 'framework'> & { task: string; framework: string };
  if (raw.kind !== 'command' || typeof raw.frameworkId !== 'string' || typeof raw.taskId !== 'string')
    throw new Error('not a command task checkpoint');
  return {
    ...raw,
    task: v1.TaskInfo.decode(Buffer.from(raw.task, 'base64')),
    framework: v1.FrameworkInfo.decode(Buffer.from(raw.framework, 'base64')),
  };
}

/** The checkpoint of a task record. Pure. */
export function checkpointOf(record: TaskRecord, pidStartTime: number | undefined): TaskCheckpoint {
  return {
    kind: 'command',
    frameworkId: record.frameworkId,
    taskId: record.taskId,
    framework: record.framework,
    task: record.task,
    containerId: record.containerId,
    state: record.state,
    killRequested: record.killRequested,
    ...(record.directory === undefined ? {} : { directory: record.directory }),
    ...(record.pid === undefined ? {} : { pid: record.pid }),
    ...(pidStartTime === undefined ? {} : { pidStartTime }),
  };
}

/** Writes a task's checkpoint (atomically, synchronously). */
export function writeTaskCheckpoint(workDir: string, c: TaskCheckpoint): void {
  writeFileAtomicSync(join(taskMetaDir(workDir, c.frameworkId, c.taskId), 'task.json'), encodeTaskCheckpoint(c));
}

/** Forgets a task (its checkpoint and exit status). */
export function removeTaskCheckpoint(workDir: string, frameworkId: string, taskId: string): void {
  rmSync(taskMetaDir(workDir, frameworkId, taskId), { recursive: true, force: true });
}

const dirs = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
};

/** Every readable task checkpoint of a work dir, and the problems of the unreadable ones. */
export function readTaskCheckpoints(workDir: string): { tasks: TaskCheckpoint[]; problems: string[] } {
  const tasks: TaskCheckpoint[] = [];
  const problems: string[] = [];
  for (const fw of dirs(tasksMetaDir(workDir)))
    for (const task of dirs(join(tasksMetaDir(workDir), fw))) {
      const file = join(tasksMetaDir(workDir), fw, task, 'task.json');
      try {
        tasks.push(decodeTaskCheckpoint(readFileSync(file, 'utf8')));
      } catch (err) {
        problems.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  return { tasks, problems };
}
