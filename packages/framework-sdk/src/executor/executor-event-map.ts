// The typed callbacks of the executor driver: one name per event type, the
// payload being the event's sub-message.
import { ExecutorEventType, type ExecutorEvent, type mesocosm } from '@mesocosm/protocol';

/** SUBSCRIBED: the executor's, its framework's and its agent's infos. */
export type ExecutorSubscribedEvent = mesocosm.v1.ExecutorEvent.ISubscribed;
/** LAUNCH: a task to run. */
export type LaunchEvent = mesocosm.v1.ExecutorEvent.ILaunch;
/** KILL: a task to kill (with the kill policy's grace period, if any). */
export type KillEvent = mesocosm.v1.ExecutorEvent.IKill;
/** ACKNOWLEDGED: the framework acknowledged one of the executor's updates. */
export type AcknowledgedEvent = mesocosm.v1.ExecutorEvent.IAcknowledged;
/** MESSAGE: data from the framework. */
export type ExecutorMessageEvent = mesocosm.v1.ExecutorEvent.IMessage;
/** ERROR: the agent refused a call (or the subscription). */
export type ExecutorErrorEvent = mesocosm.v1.ExecutorEvent.IError;

/** The driver lost its stream to the agent; it reconnects unless stopped or out of time. */
export interface ExecutorDisconnectedEvent {
  /** Why, in words. */
  reason: string;
  /** True when the driver will try to subscribe again. */
  willReconnect: boolean;
}

/** Event names for `ExecutorDriver.on`, with their payloads. */
export interface ExecutorEventMap {
  subscribed: ExecutorSubscribedEvent;
  launch: LaunchEvent;
  kill: KillEvent;
  acknowledged: AcknowledgedEvent;
  message: ExecutorMessageEvent;
  /** SHUTDOWN has no sub-message: the payload is the event itself. */
  shutdown: ExecutorEvent;
  error: ExecutorErrorEvent;
  disconnected: ExecutorDisconnectedEvent;
}

/** A name of {@link ExecutorEventMap}. */
export type ExecutorEventName = keyof ExecutorEventMap;

/**
 * A callback. It may return a promise: the driver waits for it before
 * handing the next event to the callbacks. `event` is the whole wire event
 * (absent for `disconnected`).
 */
export type ExecutorEventHandler<K extends ExecutorEventName> = (
  payload: ExecutorEventMap[K],
  event?: ExecutorEvent,
) => void | Promise<void>;

type Named = { [K in ExecutorEventName]: { name: K; payload: ExecutorEventMap[K] } }[ExecutorEventName];

/** The callback name and payload of a wire event, or undefined for UNKNOWN. @internal */
export function executorPayloadOf(event: ExecutorEvent): Named | undefined {
  switch (event.type) {
    case ExecutorEventType.SUBSCRIBED:
      return { name: 'subscribed', payload: event.subscribed ?? {} };
    case ExecutorEventType.LAUNCH:
      return { name: 'launch', payload: event.launch ?? {} };
    case ExecutorEventType.KILL:
      return { name: 'kill', payload: event.kill ?? {} };
    case ExecutorEventType.ACKNOWLEDGED:
      return { name: 'acknowledged', payload: event.acknowledged ?? {} };
    case ExecutorEventType.MESSAGE:
      return { name: 'message', payload: event.message ?? {} };
    case ExecutorEventType.SHUTDOWN:
      return { name: 'shutdown', payload: event };
    case ExecutorEventType.ERROR:
      return { name: 'error', payload: event.error ?? {} };
    default:
      return undefined;
  }
}

type AnyHandler = (payload: unknown, event?: ExecutorEvent) => void | Promise<void>;

/** Handlers by event name. @internal */
export class ExecutorHandlers {
  private readonly handlers = new Map<ExecutorEventName, Set<AnyHandler>>();

  add<K extends ExecutorEventName>(name: K, handler: ExecutorEventHandler<K>): () => void {
    const set = this.handlers.get(name) ?? new Set<AnyHandler>();
    this.handlers.set(name, set);
    const h = handler as AnyHandler;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  count(name: ExecutorEventName): number {
    return this.handlers.get(name)?.size ?? 0;
  }

  /** Runs every handler of `name` in order, awaiting promises; returns what they threw. */
  async run<K extends ExecutorEventName>(
    name: K,
    payload: ExecutorEventMap[K],
    event?: ExecutorEvent,
  ): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const h of [...(this.handlers.get(name) ?? [])]) {
      try {
        await h(payload, event);
      } catch (err) {
        errors.push(err);
      }
    }
    return errors;
  }
}
