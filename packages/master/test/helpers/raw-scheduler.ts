// A raw scheduler over gRPC: no SDK, just the wire, for master tests.
import * as grpc from '@grpc/grpc-js';
import {
  CallType,
  EventType,
  SchedulerService,
  type Event,
  type ICall,
  type IFrameworkInfo,
  type IOffer,
} from '@mesocosm/protocol';
import { Inbox } from './wait-for.js';

export class RawScheduler {
  readonly events = new Inbox<Event>();
  frameworkId = '';
  streamId = '';
  ended = false;
  private readonly client: grpc.Client;
  private readonly stream: grpc.ClientDuplexStream<ICall, Event>;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure());
    this.stream = this.client.makeBidiStreamRequest(
      SchedulerService.subscribe.path,
      SchedulerService.subscribe.serialize,
      SchedulerService.subscribe.deserialize,
    );
    this.stream.on('data', (e: Event) => this.events.push(e));
    this.stream.on('error', () => (this.ended = true));
    this.stream.on('end', () => (this.ended = true));
  }

  /** Sends SUBSCRIBE and waits for SUBSCRIBED. */
  async subscribe(
    info: IFrameworkInfo = { name: 'test', user: 'test' },
    suppressedRoles: string[] = [],
  ): Promise<Event> {
    this.write({ type: CallType.SUBSCRIBE, subscribe: { frameworkInfo: info, suppressedRoles } });
    const ev = await this.events.take((e) => e.type === EventType.SUBSCRIBED, 'SUBSCRIBED');
    this.frameworkId = ev.subscribed?.frameworkId?.value ?? '';
    this.streamId = ev.subscribed?.streamId ?? '';
    return ev;
  }

  /** Writes a raw call. */
  write(call: ICall): void {
    this.stream.write(call);
  }

  /** Writes a call with this stream's IDs. */
  send(call: ICall): void {
    this.write({ frameworkId: { value: this.frameworkId }, streamId: this.streamId, ...call });
  }

  /** Scheduler.Call (unary). */
  unary(call: ICall): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        SchedulerService.call.path,
        SchedulerService.call.serialize,
        SchedulerService.call.deserialize,
        { frameworkId: { value: this.frameworkId }, streamId: this.streamId, ...call },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  /** Waits for the next OFFERS event and returns its first offer. */
  async offer(timeoutMs = 5000): Promise<IOffer> {
    const ev = await this.events.take((e) => e.type === EventType.OFFERS, 'an OFFERS event', timeoutMs);
    const offer = ev.offers?.offers?.[0];
    if (!offer) throw new Error('empty OFFERS event');
    return offer;
  }

  /** Waits for an UPDATE for `taskId` (optionally in `state`). */
  update(taskId: string, state?: number, timeoutMs = 5000): Promise<Event> {
    return this.events.take(
      (e) =>
        e.type === EventType.UPDATE &&
        e.update?.status?.taskId?.value === taskId &&
        (state === undefined || e.update?.status?.state === state),
      `UPDATE for ${taskId}${state === undefined ? '' : ` in state ${state}`}`,
      timeoutMs,
    );
  }

  /** Waits for an ERROR event (optionally with `code`). */
  error(code?: string, timeoutMs = 5000): Promise<Event> {
    return this.events.take(
      (e) => e.type === EventType.ERROR && (code === undefined || e.error?.code === code),
      `ERROR ${code ?? ''}`,
      timeoutMs,
    );
  }

  close(): void {
    this.stream.end();
    this.client.close();
  }
}
