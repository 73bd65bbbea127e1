// The typed callbacks of the scheduler driver: one name per event type, the
// payload being the event's sub-message.
import { EventType, mesocosm } from '@mesocosm/protocol';
import type { Event } from '@mesocosm/protocol';

/** SUBSCRIBED: the framework ID, stream ID, heartbeat interval and master. */
export type SubscribedEvent = mesocosm.v1.Event.ISubscribed;
/** OFFERS: new offers for this framework. */
export type OffersEvent = mesocosm.v1.Event.IOffers;
/** RESCIND: an offer is no longer valid. */
export type RescindEvent = mesocosm.v1.Event.IRescind;
/** UPDATE: a task status update. */
export type UpdateEvent = mesocosm.v1.Event.IUpdate;
/**
 * MESSAGE: data an executor sent its framework (`ExecutorDriver.sendMessage`),
 * with the `agentId` and `executorId` it came from, so that the framework can
 * answer with `SchedulerDriver.message(agentId, executorId, data)`.
 *
 * Best effort, as in Mesos: a message is not stored or resent; one sent while
 * the framework, its agent or the master is disconnected is lost. `data` is at
 * most `MAX_MESSAGE_DATA_BYTES` (1 MiB): the agent refuses a larger one.
 *
 * @example
 * ```ts
 * driver.on('message', ({ agentId, executorId, data }) => {
 *   const text = Buffer.from(data ?? []).toString();
 *   driver.message(agentId?.value ?? '', executorId?.value ?? '', Buffer.from(`ack ${text}`));
 * });
 * ```
 */
export type MessageEvent = mesocosm.v1.Event.IMessage;
/** FAILURE: an agent or an executor is gone. */
export type FailureEvent = mesocosm.v1.Event.IFailure;
/** ERROR: the master rejected a call (`code` says why, e.g. `STALE_STREAM`). */
export type ErrorEvent = mesocosm.v1.Event.IError;

/** The driver lost its subscription; it re-subscribes on its own unless stopped. */
export interface DisconnectedEvent {
  /** Why, in words (`stream ended`, `no heartbeat for 75 s`, ...). */
  reason: string;
  /** The underlying error, if any. */
  error?: Error;
  /** True when the driver will try to re-subscribe. */
  willReconnect: boolean;
}

/** Event names for `SchedulerDriver.on`, with their payloads. */
export interface SchedulerEventMap {
  subscribed: SubscribedEvent;
  offers: OffersEvent;
  rescind: RescindEvent;
  update: UpdateEvent;
  message: MessageEvent;
  failure: FailureEvent;
  error: ErrorEvent;
  /** HEARTBEAT has no sub-message: the payload is the event itself. */
  heartbeat: Event;
  disconnected: DisconnectedEvent;
}

/** A name of {@link SchedulerEventMap}. */
export type SchedulerEventName = keyof SchedulerEventMap;

/**
 * A callback. It may return a promise: the driver waits for it before the
 * next event and before acknowledging an update. `event` is the whole wire
 * event (absent for `disconnected`).
 */
export type SchedulerEventHandler<K extends SchedulerEventName> = (
  payload: SchedulerEventMap[K],
  event?: Event,
) => void | Promise<void>;

/** The callback name and payload of a wire event, or undefined for UNKNOWN. @internal */
export function payloadOf(
  event: Event,
): { [K in SchedulerEventName]: { name: K; payload: SchedulerEventMap[K] } }[SchedulerEventName] | undefined {
  switch (event.type) {
    case EventType.SUBSCRIBED:
      return { name: 'subscribed', payload: event.subscribed ?? {} };
    case EventType.OFFERS:
      return { name: 'offers', payload: event.offers ?? {} };
    case EventType.RESCIND:
      return { name: 'rescind', payload: event.rescind ?? {} };
    case EventType.UPDATE:
      return { name: 'update', payload: event.update ?? {} };
    case EventType.MESSAGE:
      return { name: 'message', payload: event.message ?? {} };
    case EventType.FAILURE:
      return { name: 'failure', payload: event.failure ?? {} };
    case EventType.ERROR:
      return { name: 'error', payload: event.error ?? {} };
    case EventType.HEARTBEAT:
      return { name: 'heartbeat', payload: event };
    default:
      return undefined;
  }
}

type AnyHandler = (payload: unknown, event?: Event) => void | Promise<void>;

/** Handlers by event name. @internal */
export class HandlerRegistry {
  private readonly handlers = new Map<SchedulerEventName, Set<AnyHandler>>();

  add<K extends SchedulerEventName>(name: K, handler: SchedulerEventHandler<K>): () => void {
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
    }
    const h = handler as AnyHandler;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  count(name: SchedulerEventName): number {
    return this.handlers.get(name)?.size ?? 0;
  }

  /**
   * Runs every handler of `name` in registration order, awaiting promises.
   * @returns the errors thrown (handlers after a failing one still run).
   */
  async run<K extends SchedulerEventName>(name: K, payload: SchedulerEventMap[K], event?: Event): Promise<unknown[]> {
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
