// The agent's `/state` document. Pure.
import { attributesToRecord, Resources, taskStateName, type IAttribute } from '@mesocosm/protocol';
import { dockerContainerOf } from '../docker/task-containers.js';
import type { TaskRecord } from '../tasks/task-book.js';

/** What `/state` is built from. */
export interface AgentStateInput {
  readonly id: string | undefined;
  readonly hostname: string;
  readonly ip: string;
  readonly port: number;
  readonly master: string;
  readonly connected: boolean;
  readonly resources: Resources;
  readonly attributes: readonly IAttribute[];
  readonly isolation: string;
  readonly workDir: string;
  readonly startTime: number;
  readonly tasks: readonly TaskRecord[];
  readonly completedTasks: readonly TaskRecord[];
  readonly pendingUpdates: number;
}

function taskJson(t: TaskRecord): Record<string, unknown> {
  const docker = dockerContainerOf(t);
  return {
    id: t.taskId,
    name: t.task.name ?? '',
    framework_id: t.frameworkId,
    state: taskStateName(t.state),
    directory: t.directory ?? null,
    pid: t.pid ?? null,
    container_id: t.containerId,
    resources: Resources.fromProto(t.task.resources).toJSON(),
    ...(docker ? { docker: { container_id: docker.id, container_name: docker.name, image: docker.image } } : {}),
  };
}

/** The JSON of `/state`: agent info, then each task with `framework_id`, `state`, `directory`. */
export function agentStateJson(s: AgentStateInput): Record<string, unknown> {
  return {
    id: s.id ?? null,
    hostname: s.hostname,
    ip: s.ip,
    port: s.port,
    master: s.master,
    connected: s.connected,
    start_time: s.startTime / 1000,
    resources: s.resources.toJSON(),
    attributes: attributesToRecord([...s.attributes]),
    isolation: s.isolation,
    work_dir: s.workDir,
    pending_status_updates: s.pendingUpdates,
    tasks: s.tasks.map(taskJson),
    completed_tasks: s.completedTasks.map(taskJson),
  };
}
