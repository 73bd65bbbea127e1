// The agent's bookkeeping of tasks: which run where, in which state. Pure data.
import { isTerminalState, TaskState, type IFrameworkInfo, type ITaskInfo } from '@mesocosm/protocol';

/** One task this agent was asked to run. */
export interface TaskRecord {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly task: ITaskInfo;
  readonly framework: IFrameworkInfo;
  /** Latest state (the latest update generated, acknowledged or not). */
  state: TaskState;
  /** Sandbox directory, once created. */
  directory?: string;
  /** The task's process (and process group) ID, once spawned. */
  pid?: number;
  /** Container ID: names the cgroup and the run. */
  readonly containerId: string;
  /** Set once a kill was asked for. */
  killRequested: boolean;
}

const MAX_COMPLETED = 200;

/** Live tasks by framework and task ID, plus a bounded list of completed ones. */
export class TaskBook {
  private readonly live = new Map<string, TaskRecord>();
  private readonly done: TaskRecord[] = [];

  private static key(frameworkId: string, taskId: string): string {
    return `${frameworkId}\u0000${taskId}`;
  }

  /** True when this task ID is already running (not terminal) for this framework. */
  isActive(frameworkId: string, taskId: string): boolean {
    const t = this.live.get(TaskBook.key(frameworkId, taskId));
    return t !== undefined && !isTerminalState(t.state);
  }

  add(record: Omit<TaskRecord, 'state' | 'killRequested'>): TaskRecord {
    const full: TaskRecord = { ...record, state: TaskState.TASK_STAGING, killRequested: false };
    this.live.set(TaskBook.key(record.frameworkId, record.taskId), full);
    return full;
  }

  get(frameworkId: string, taskId: string): TaskRecord | undefined {
    return this.live.get(TaskBook.key(frameworkId, taskId));
  }

  /** Moves a terminal task to the completed list (once its updates are acknowledged). */
  complete(frameworkId: string, taskId: string): void {
    const key = TaskBook.key(frameworkId, taskId);
    const t = this.live.get(key);
    if (!t || !isTerminalState(t.state)) return;
    this.live.delete(key);
    this.done.push(t);
    if (this.done.length > MAX_COMPLETED) this.done.shift();
  }

  /** Live tasks (running, or terminal with updates in flight). */
  tasks(): TaskRecord[] {
    return [...this.live.values()];
  }

  /** Tasks that are not terminal. */
  active(): TaskRecord[] {
    return this.tasks().filter((t) => !isTerminalState(t.state));
  }

  completed(): TaskRecord[] {
    return [...this.done];
  }

  ofFramework(frameworkId: string): TaskRecord[] {
    return this.tasks().filter((t) => t.frameworkId === frameworkId);
  }
}
