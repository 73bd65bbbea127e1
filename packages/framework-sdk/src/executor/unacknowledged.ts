// What an executor must remember across a reconnection: tasks it was given
// and updates it sent that are not acknowledged yet. Pure data.
import { uuidToString, type ITaskInfo, type ITaskStatus } from '@mesocosm/protocol';

/** Tasks launched and updates sent, until an ACKNOWLEDGED covers them. @internal */
export class Unacknowledged {
  private readonly taskInfos = new Map<string, ITaskInfo>();
  private readonly statuses = new Map<string, ITaskStatus>();

  /** A LAUNCH arrived. */
  launched(task: ITaskInfo): void {
    this.taskInfos.set(task.taskId?.value ?? '', task);
  }

  /** An UPDATE was sent (it carries its uuid). */
  sent(status: ITaskStatus): void {
    this.statuses.set(uuidToString(status.uuid), status);
  }

  /** An ACKNOWLEDGED arrived: forget that update, and the task's LAUNCH. Returns false when unknown. */
  acknowledged(taskId: string, uuid: Uint8Array | null | undefined): boolean {
    this.taskInfos.delete(taskId);
    return this.statuses.delete(uuidToString(uuid));
  }

  /** Tasks launched with no acknowledged update yet. */
  tasks(): ITaskInfo[] {
    return [...this.taskInfos.values()];
  }

  /** Updates sent and not acknowledged, oldest first. */
  updates(): ITaskStatus[] {
    return [...this.statuses.values()];
  }
}
