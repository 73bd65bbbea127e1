// At-least-once, in-order delivery of task status updates (the agent's
// status update manager, as in Mesos).
//
// Per task a queue: only its head is in flight. The head is resent with
// exponential backoff until an ACKNOWLEDGE carrying its uuid arrives; then
// the next update is sent. While the master is unreachable nothing is sent;
// on (re-)registration every head is sent again. The state is a plain object
// (`snapshot()`) so that it can be checkpointed to disk later.
import { uuidToString, type Clock, type ITaskStatus, type Logger, type TimerHandle } from '@mesocosm/protocol';

/** An update waiting for its acknowledgement. */
export interface QueuedUpdate {
  readonly frameworkId: string;
  readonly taskId: string;
  /** Hex form of `status.uuid`. */
  readonly uuid: string;
  readonly status: ITaskStatus;
}

/** The manager's whole state: per task, updates not yet acknowledged, oldest first. */
export interface StatusUpdateState {
  readonly streams: Record<string, { frameworkId: string; taskId: string; pending: QueuedUpdate[] }>;
}

/** How the manager reaches the outside world. */
export interface StatusUpdateManagerOptions {
  clock: Clock;
  /** Puts one update on the wire (AgentCall UPDATE). Called again for each retry. */
  send: (update: QueuedUpdate) => void;
  /** First resend delay; doubles after each resend. */
  initialRetryMs: number;
  /** Cap of the resend delay. */
  maxRetryMs: number;
  /** Source of update uuids (16 bytes). */
  newUuid: () => Uint8Array;
  logger: Logger;
  /** Called when an update has been acknowledged (e.g. to forget a finished task). */
  onAcknowledged?: (update: QueuedUpdate, remaining: number) => void;
  /** Called after each change of the state, before anything is sent (to checkpoint it). */
  onChange?: (manager: StatusUpdateManager) => void;
}

function streamKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

/** See the file comment. */
export class StatusUpdateManager {
  private readonly streams: StatusUpdateState['streams'] = {};
  private readonly timers = new Map<string, { handle: TimerHandle; delay: number }>();
  private online = false;

  constructor(private readonly options: StatusUpdateManagerOptions) {}

  /**
   * Queues an update (giving it a uuid, unless `uuid` is given: a custom
   * executor's own), and sends it at once if it is the head. Returns the uuid (hex).
   */
  update(frameworkId: string, status: ITaskStatus, uuid?: Uint8Array): string {
    const taskId = status.taskId?.value ?? '';
    const bytes = uuid && uuid.length > 0 ? uuid : this.options.newUuid();
    const hex = uuidToString(bytes);
    const queued: QueuedUpdate = {
      frameworkId,
      taskId,
      uuid: hex,
      status: { ...status, uuid: bytes, timestamp: status.timestamp ?? this.options.clock.now() / 1000 },
    };
    const key = streamKey(frameworkId, taskId);
    const stream = (this.streams[key] ??= { frameworkId, taskId, pending: [] });
    stream.pending.push(queued);
    this.options.onChange?.(this);
    if (stream.pending.length === 1) this.sendHead(key, this.options.initialRetryMs);
    return hex;
  }

  /** Handles an ACKNOWLEDGE. Returns false when the uuid is not the head of that task's queue. */
  acknowledge(frameworkId: string, taskId: string, uuid: Uint8Array | string): boolean {
    const hex = typeof uuid === 'string' ? uuid : uuidToString(uuid);
    const key = streamKey(frameworkId, taskId);
    const stream = this.streams[key];
    const head = stream?.pending[0];
    if (!stream || !head || head.uuid !== hex) {
      this.options.logger.warn('ignoring acknowledgement of an update that is not in flight', {
        frameworkId,
        taskId,
        uuid: hex,
      });
      return false;
    }
    stream.pending.shift();
    this.cancelTimer(key);
    if (stream.pending.length === 0) delete this.streams[key];
    this.options.onChange?.(this);
    if (stream.pending.length > 0) this.sendHead(key, this.options.initialRetryMs);
    this.options.onAcknowledged?.(head, stream.pending.length);
    return true;
  }

  /** The master is reachable (registered): send every queue's head. */
  connected(): void {
    this.online = true;
    for (const key of Object.keys(this.streams)) this.sendHead(key, this.options.initialRetryMs);
  }

  /** The master went away: stop resending until {@link connected}. */
  disconnected(): void {
    this.online = false;
    for (const key of [...this.timers.keys()]) this.cancelTimer(key);
  }

  /** Updates not yet acknowledged, for one task or all. */
  pending(frameworkId?: string, taskId?: string): QueuedUpdate[] {
    if (frameworkId !== undefined && taskId !== undefined)
      return [...(this.streams[streamKey(frameworkId, taskId)]?.pending ?? [])];
    return Object.values(this.streams).flatMap((s) => s.pending);
  }

  /** A copy of the whole state, plain data. */
  snapshot(): StatusUpdateState {
    const streams: StatusUpdateState['streams'] = {};
    for (const [key, s] of Object.entries(this.streams)) streams[key] = { ...s, pending: [...s.pending] };
    return { streams };
  }

  /**
   * Takes over a checkpointed state (at start, before {@link connected}):
   * its queues come before any update queued since, and keep their uuids.
   */
  restore(state: StatusUpdateState): void {
    for (const [key, s] of Object.entries(state.streams)) {
      if (s.pending.length === 0) continue;
      const later = this.streams[key]?.pending ?? [];
      this.streams[key] = { frameworkId: s.frameworkId, taskId: s.taskId, pending: [...s.pending, ...later] };
      this.sendHead(key, this.options.initialRetryMs);
    }
    this.options.onChange?.(this);
  }

  /** Cancels every timer. */
  stop(): void {
    this.disconnected();
  }

  private sendHead(key: string, delay: number): void {
    this.cancelTimer(key);
    const head = this.streams[key]?.pending[0];
    if (!head || !this.online) return;
    this.options.send(head);
    const handle = this.options.clock.setTimeout(() => {
      this.timers.delete(key);
      this.options.logger.debug('resending unacknowledged status update', {
        taskId: head.taskId,
        uuid: head.uuid,
        afterMs: delay,
      });
      this.sendHead(key, Math.min(delay * 2, this.options.maxRetryMs));
    }, delay);
    this.timers.set(key, { handle, delay });
  }

  private cancelTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer) this.options.clock.clearTimeout(timer.handle);
    this.timers.delete(key);
  }
}
