// The resource limits of a task's container, from its resources. Pure.
import { Resources, type ITaskInfo } from '@mesocosm/protocol';
import type { ContainerLimits } from '../isolation/isolator.js';

/** Resource limits of a task's container. Pure. */
export function containerLimits(task: ITaskInfo): ContainerLimits {
  const r = Resources.fromProto(task.resources);
  const mem = r.scalar('mem');
  const cpus = r.scalar('cpus');
  return { ...(mem > 0 ? { memMb: mem } : {}), ...(cpus > 0 ? { cpus } : {}) };
}
