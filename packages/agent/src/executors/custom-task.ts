// One task of a custom executor, as the agent tracks it. Pure data.
import { ExecutorEventType, isTerminalState, type IExecutorEvent, type TimerHandle } from '@mesocosm/protocol';
import type { TaskRecord } from '../tasks/task-book.js';

/** A task of a custom executor. */
export interface CustomTask {
  readonly record: TaskRecord;
  /** LAUNCH was sent to the executor. */
  launched: boolean;
  /** The executor sent at least one update for it. */
  heardFrom: boolean;
  /** Uuids (hex) of the executor's updates for it: acknowledged by the framework yet? */
  readonly uuids: Map<string, 'pending' | 'acknowledged'>;
  killTimer?: TimerHandle;
  /** The grace period of the last KILL sent (resent with it after a reconnection). */
  killGraceMs?: number;
  resolveDone(): void;
  /** Resolves once its terminal state is reported. */
  readonly done: Promise<void>;
}

/** A new, queued task. */
export function newCustomTask(record: TaskRecord): CustomTask {
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  return { record, launched: false, heardFrom: false, uuids: new Map(), resolveDone, done };
}

/** Terminal, with every update of the executor acknowledged by the framework. */
export function isSettled(task: CustomTask): boolean {
  return isTerminalState(task.record.state) && ![...task.uuids.values()].includes('pending');
}

/** The ACKNOWLEDGED event of one of the executor's updates. */
export function acknowledgedEvent(taskId: string, uuid: Uint8Array): IExecutorEvent {
  return { type: ExecutorEventType.ACKNOWLEDGED, acknowledged: { taskId: { value: taskId }, uuid } };
}
