// Marathon's event bus (`/v2/events`): every event gets an increasing id; the
// last N are retained so that a client reconnecting with Last-Event-ID gets
// what it missed. Subscribers are async iterables with an unbounded queue
// each (a slow SSE client only costs its own memory until it is closed).

import type { Clock } from '@mesocosm/framework-sdk';
import type { EventSubscription, Json, MarathonEvent } from '../service/marathon-service.js';

/** How many events are kept for replay by default. */
export const DEFAULT_EVENT_RETENTION = 1000;

interface Subscriber {
  readonly types: ReadonlySet<string> | undefined;
  readonly queue: MarathonEvent[];
  wake: (() => void) | undefined;
  closed: boolean;
}

/** The bus. `publish` stamps id and timestamp; `subscribe` replays then follows. */
export class EventBus {
  private nextId = 1;
  private readonly retained: MarathonEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();

  constructor(
    private readonly clock: Clock,
    private readonly retention = DEFAULT_EVENT_RETENTION,
  ) {}

  /** Publishes `{eventType, timestamp, ...body}`; returns the event. */
  publish(eventType: string, body: Json): MarathonEvent {
    const timestamp = new Date(this.clock.now()).toISOString();
    const event: MarathonEvent = { id: this.nextId++, eventType, timestamp, body: { ...body, eventType, timestamp } };
    this.retained.push(event);
    if (this.retained.length > this.retention) this.retained.splice(0, this.retained.length - this.retention);
    for (const s of this.subscribers) {
      if (s.types && !s.types.has(eventType)) continue;
      s.queue.push(event);
      s.wake?.();
    }
    return event;
  }

  /** Retained events (oldest first), for tests and diagnostics. */
  history(): readonly MarathonEvent[] {
    return this.retained;
  }

  /** Closes every subscription (leadership lost). */
  closeAll(): void {
    for (const s of [...this.subscribers]) this.close(s);
  }

  private close(s: Subscriber): void {
    s.closed = true;
    this.subscribers.delete(s);
    s.wake?.();
  }

  /** A subscription; with `afterId`, the retained events after it come first. */
  subscribe(options: { eventTypes?: readonly string[]; afterId?: number } = {}): EventSubscription {
    const types = options.eventTypes && options.eventTypes.length > 0 ? new Set(options.eventTypes) : undefined;
    const sub: Subscriber = { types, queue: [], wake: undefined, closed: false };
    if (options.afterId !== undefined) {
      const after = options.afterId;
      sub.queue.push(...this.retained.filter((e) => e.id > after && (!types || types.has(e.eventType))));
    }
    this.subscribers.add(sub);
    const close = (): void => this.close(sub);
    const next = async (): Promise<IteratorResult<MarathonEvent>> => {
      for (;;) {
        const event = sub.queue.shift();
        if (event) return { value: event, done: false };
        if (sub.closed) return { value: undefined, done: true };
        await new Promise<void>((resolve) => (sub.wake = resolve));
        sub.wake = undefined;
      }
    };
    return {
      close,
      [Symbol.asyncIterator]: () => ({
        next,
        return: async () => {
          close();
          return { value: undefined, done: true };
        },
      }),
    };
  }
}
