// Placing the example's tasks: all of them on ONE offer, with one shared
// ExecutorInfo, so that one executor process runs them all. Pure.
import { Resources, type IExecutorInfo, type IOffer, type ITaskInfo } from '@mesocosm/framework-sdk';

/** What each task and the executor itself hold. */
export const TASK_RESOURCES = 'cpus:0.1;mem:32';
export const EXECUTOR_RESOURCES = 'cpus:0.1;mem:128';

/** The executor: `node <executor.js>`, the same ExecutorInfo for every task. */
export function executorInfo(executorId: string, executorPath: string, nodePath = process.execPath): IExecutorInfo {
  return {
    executorId: { value: executorId },
    name: 'fibonacci executor',
    command: { value: nodePath, arguments: ['node', executorPath] },
    resources: Resources.parse(EXECUTOR_RESOURCES).toProto(),
  };
}

/** One launch: the offer to accept and the tasks to put on it. */
export interface Placement {
  offerId: string;
  agentId: string;
  tasks: ITaskInfo[];
}

/** The first offer that holds the executor and every task, or undefined. */
export function placeAll(
  offers: readonly IOffer[],
  inputs: readonly number[],
  executor: IExecutorInfo,
): Placement | undefined {
  const task = Resources.parse(TASK_RESOURCES);
  let needed = Resources.fromProto(executor.resources);
  for (let i = 0; i < inputs.length; i++) needed = needed.add(task);
  const offer = offers.find((o) => Resources.fromProto(o.resources).contains(needed));
  if (!offer) return undefined;
  const agentId = offer.agentId?.value ?? '';
  const tasks = inputs.map<ITaskInfo>((n, i) => ({
    name: `fib-${n}`,
    taskId: { value: `fib-${i + 1}` },
    agentId: { value: agentId },
    resources: task.toProto(),
    executor,
    data: Buffer.from(String(n)),
  }));
  return { offerId: offer.id?.value ?? '', agentId, tasks };
}
