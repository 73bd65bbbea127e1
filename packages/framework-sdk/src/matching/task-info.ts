// Turning a placed request into the TaskInfo of a LAUNCH operation.
import type { IEnvironment, IOffer, ITaskInfo, Resources } from '@mesocosm/protocol';
import type { TaskRequest } from './task-request.js';

/** `PORT0..PORTn` and `PORTS` (comma-separated), as Marathon sets them. */
function withPortEnv(env: IEnvironment | null | undefined, ports: readonly number[]): IEnvironment {
  const vars = [...(env?.variables ?? [])];
  const names = new Set(vars.map((v) => v.name));
  const add = (name: string, value: string): void => {
    if (!names.has(name)) vars.push({ name, value });
  };
  ports.forEach((p, i) => add(`PORT${i}`, String(p)));
  add('PORTS', ports.join(','));
  return { variables: vars };
}

/** The port numbers held by `resources`' `ports` ranges, lowest first. */
export function portsOf(resources: Resources): number[] {
  const out: number[] = [];
  for (const [b, e] of resources.ranges('ports')) for (let p = b; p <= e; p++) out.push(p);
  return out;
}

/**
 * The TaskInfo for `request` on `offer`: `agent_id` from the offer, and
 * `pickedResources` as the task's resources (which must come from the offer's
 * own entries, with their roles: see {@link pickResources}). When the task has
 * ports and a command, the command's environment gets `PORT0..PORTn` and
 * `PORTS` (variables the request already sets win).
 *
 * @example
 * ```ts
 * const picked = Resources.parse('cpus:0.5;mem:64');
 * const task = taskInfoFor({ taskId: 't1', resources: picked, command: { value: 'sleep 5' } }, offer, picked);
 * driver.launch(offer.id!.value!, [task]);
 * ```
 */
export function taskInfoFor(request: TaskRequest, offer: IOffer, pickedResources: Resources): ITaskInfo {
  const ports = portsOf(pickedResources);
  const task: ITaskInfo = {
    name: request.name ?? request.taskId,
    taskId: { value: request.taskId },
    agentId: { value: offer.agentId?.value ?? '' },
    resources: pickedResources.toProto(),
  };
  if (request.command) {
    task.command =
      ports.length > 0
        ? { ...request.command, environment: withPortEnv(request.command.environment, ports) }
        : request.command;
  }
  if (request.container) task.container = request.container;
  if (request.executor) task.executor = request.executor;
  if (request.labels) task.labels = request.labels;
  if (request.healthCheck) task.healthCheck = request.healthCheck;
  if (request.killPolicy) task.killPolicy = request.killPolicy;
  if (request.data) task.data = request.data;
  return task;
}
