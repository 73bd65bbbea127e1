// Which Docker container runs which task: a side table on the agent's task
// records, read by `/state`.
import type { TaskRecord } from '../tasks/task-book.js';

/** The Docker container of a task. */
export interface DockerContainerRef {
  readonly id: string;
  readonly name: string;
  readonly image: string;
}

const containers = new WeakMap<TaskRecord, DockerContainerRef>();

/** Records that `record` runs in `ref`. */
export function setDockerContainer(record: TaskRecord, ref: DockerContainerRef): void {
  containers.set(record, ref);
}

/** The Docker container of `record`, when it has one. */
export function dockerContainerOf(record: TaskRecord): DockerContainerRef | undefined {
  return containers.get(record);
}
