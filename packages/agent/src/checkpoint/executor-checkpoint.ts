// Per-run checkpoints of custom executors, as
// `<work_dir>/meta/executors/<framework_id>/<executor_id>/<container_id>.json`
// (one file per process: a later run of the same executor ID has its own):
// what a restarted agent needs to find the executor process again (pid and
// its start time, container, limits, sandbox, the executor API endpoint it
// was told), to answer its SUBSCRIBE (ExecutorInfo, FrameworkInfo) and to
// take over its tasks (TaskInfo, latest state, which of the executor's
// update uuids the framework acknowledged). Rewritten synchronously after
// each change; removed once the executor has exited and every update of its
// tasks is acknowledged.
import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { v1, type IExecutorInfo, type IFrameworkInfo, type ITaskInfo, type TaskState } from '@mesocosm/protocol';
import type { ContainerLimits } from '../isolation/isolator.js';
import { writeFileAtomicSync } from './atomic-write.js';

/** One task of a checkpointed executor. */
export interface ExecutorTaskCheckpoint {
  readonly taskId: string;
  readonly task: ITaskInfo;
  readonly state: TaskState;
  readonly killRequested: boolean;
  /** LAUNCH was sent to the executor. */
  readonly launched: boolean;
  /** The executor sent an update for it. */
  readonly heardFrom: boolean;
  /** The executor's update uuids (hex), and whether the framework acknowledged them. */
  readonly uuids: Readonly<Record<string, 'pending' | 'acknowledged'>>;
}

/** What is checkpointed of one custom executor. */
export interface ExecutorCheckpoint {
  readonly frameworkId: string;
  readonly executorId: string;
  readonly info: IExecutorInfo;
  readonly framework: IFrameworkInfo;
  /** The process (and process group) ID; absent while it is being launched. */
  readonly pid?: number;
  /** /proc/<pid>/stat start time of `pid`: guards against pid reuse. */
  readonly pidStartTime?: number;
  /** Names the run: its cgroup and its checkpoint file. */
  readonly containerId: string;
  readonly limits?: ContainerLimits;
  readonly sandbox?: string;
  /** host:port of the executor API the executor was told (MESOCOSM_AGENT_ENDPOINT). */
  readonly endpoint: string;
  /** The process is known to be gone (its tasks' fates are reported). */
  readonly exited: boolean;
  readonly tasks: readonly ExecutorTaskCheckpoint[];
}

/** The checkpoint directory of all custom executors. */
export function executorsMetaDir(workDir: string): string {
  return join(workDir, 'meta', 'executors');
}

/** The checkpoint file of one run of an executor. */
export function executorCheckpointPath(
  workDir: string,
  frameworkId: string,
  executorId: string,
  containerId: string,
): string {
  return join(executorsMetaDir(workDir), frameworkId, executorId, `${containerId}.json`);
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** JSON text of a checkpoint (protobuf messages as base64, as the task checkpoints). Pure. */
export function encodeExecutorCheckpoint(c: ExecutorCheckpoint): string {
  const { info, framework, tasks, ...rest } = c;
  return `${JSON.stringify({
    kind: 'custom-executor',
    ...rest,
    info: b64(v1.ExecutorInfo.encode(v1.ExecutorInfo.fromObject(info)).finish()),
    framework: b64(v1.FrameworkInfo.encode(v1.FrameworkInfo.fromObject(framework)).finish()),
    tasks: tasks.map(({ task, ...t }) => ({
      ...t,
      task: b64(v1.TaskInfo.encode(v1.TaskInfo.fromObject(task)).finish()),
    })),
  })}\n`;
}

type Raw = Omit<ExecutorCheckpoint, 'info' | 'framework' | 'tasks'> & {
  kind: string;
  info: string;
  framework: string;
  tasks: (Omit<ExecutorTaskCheckpoint, 'task'> & { task: string })[];
};

/** Parses {@link encodeExecutorCheckpoint}'s text; throws when it is damaged. Pure. */
export function decodeExecutorCheckpoint(text: string): ExecutorCheckpoint {
  const { kind, ...raw } = JSON.parse(text) as Raw;
  if (
    kind !== 'custom-executor' ||
    typeof raw.frameworkId !== 'string' ||
    typeof raw.executorId !== 'string' ||
    typeof raw.containerId !== 'string'
  )
    throw new Error('not a custom executor checkpoint');
  if (!Array.isArray(raw.tasks)) throw new Error('the checkpoint has no task list');
  const fromB64 = (s: string): Buffer => Buffer.from(s, 'base64');
  return {
    ...raw,
    info: v1.ExecutorInfo.decode(fromB64(raw.info)),
    framework: v1.FrameworkInfo.decode(fromB64(raw.framework)),
    tasks: raw.tasks.map((t) => ({ ...t, task: v1.TaskInfo.decode(fromB64(t.task)) })),
  };
}

/** Writes an executor's checkpoint (atomically, synchronously). */
export function writeExecutorCheckpoint(workDir: string, c: ExecutorCheckpoint): void {
  const path = executorCheckpointPath(workDir, c.frameworkId, c.executorId, c.containerId);
  writeFileAtomicSync(path, encodeExecutorCheckpoint(c));
}

/** Forgets one run of an executor (and its directories once empty). */
export function removeExecutorCheckpoint(
  c: Pick<ExecutorCheckpoint, 'frameworkId' | 'executorId' | 'containerId'>,
  workDir: string,
): void {
  rmSync(executorCheckpointPath(workDir, c.frameworkId, c.executorId, c.containerId), { force: true });
  for (const dir of [
    join(executorsMetaDir(workDir), c.frameworkId, c.executorId),
    join(executorsMetaDir(workDir), c.frameworkId),
  ])
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty (another run, another executor): kept
    }
}

const entries = (dir: string, files: boolean): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => (files ? e.isFile() && e.name.endsWith('.json') : e.isDirectory()))
      .map((e) => e.name);
  } catch {
    return [];
  }
};

/** Every readable executor checkpoint of a work dir, and the problems of the unreadable ones. */
export function readExecutorCheckpoints(workDir: string): { executors: ExecutorCheckpoint[]; problems: string[] } {
  const executors: ExecutorCheckpoint[] = [];
  const problems: string[] = [];
  const root = executorsMetaDir(workDir);
  for (const fw of entries(root, false))
    for (const ex of entries(join(root, fw), false))
      for (const name of entries(join(root, fw, ex), true)) {
        const file = join(root, fw, ex, name);
        try {
          executors.push(decodeExecutorCheckpoint(readFileSync(file, 'utf8')));
        } catch (err) {
          problems.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
  return { executors, problems };
}

/** The port of a `host:port` endpoint, or undefined. Pure. */
export function endpointPort(endpoint: string): number | undefined {
  const m = /:(\d+)$/.exec(endpoint);
  const port = m ? Number(m[1]) : NaN;
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}
