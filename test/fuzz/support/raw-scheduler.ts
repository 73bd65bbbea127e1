// A scheduler on the bare wire (no SDK): one Scheduler.Subscribe stream whose
// calls are written as given, so that tests can send what the SDK never
// would. Events are queued; `take` waits for one that matches.
import * as grpc from '@grpc/grpc-js';
import {
  CallType,
  EventType,
  OperationType,
  Resources,
  SchedulerService,
  TaskState,
  isTerminalState,
  type Event,
  type ICall,
  type ICommandInfo,
  type IFrameworkInfo,
  type IOffer,
  type ITaskStatus,
} from '@mesocosm/protocol';
import { waitFor } from '@mesocosm/testing';
import { FUZZ_MAX_SEND_BYTES } from './raw-stream.js';

/** A raw scheduler stream to a master's gRPC address. */
export class RawScheduler {
  readonly events: Event[] = [];
  private readonly pending: Event[] = [];
  frameworkId = '';
  streamId = '';
  /** Set once the stream ended (either side), with the reason. */
  ended: string | undefined;
  private readonly client: grpc.Client;
  private readonly stream: grpc.ClientDuplexStream<ICall, Event>;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': FUZZ_MAX_SEND_BYTES,
    });
    this.stream = this.client.makeBidiStreamRequest(
      SchedulerService.subscribe.path,
      SchedulerService.subscribe.serialize,
      SchedulerService.subscribe.deserialize,
    );
    this.stream.on('data', (e: Event) => {
      this.events.push(e);
      this.pending.push(e);
    });
    this.stream.on('error', (err: Error) => (this.ended ??= err.message));
    this.stream.on('end', () => (this.ended ??= 'end'));
  }

  /** Sends SUBSCRIBE and waits for SUBSCRIBED. */
  async subscribe(info: IFrameworkInfo = { name: 'raw', user: 'raw' }): Promise<void> {
    this.write({ type: CallType.SUBSCRIBE, subscribe: { frameworkInfo: info } });
    const ev = await this.take((e) => e.type === EventType.SUBSCRIBED, 'SUBSCRIBED', 10_000);
    this.frameworkId = ev.subscribed?.frameworkId?.value ?? '';
    this.streamId = ev.subscribed?.streamId ?? '';
  }

  /** Writes a call exactly as given. */
  write(call: ICall): void {
    if (this.ended === undefined) this.stream.write(call);
  }

  /** Writes a call with this stream's framework and stream IDs. */
  send(call: ICall): void {
    this.write({ frameworkId: { value: this.frameworkId }, streamId: this.streamId, ...call });
  }

  /** Scheduler.Call (unary), as given; resolves with the gRPC status code (0 = OK). */
  unary(call: ICall): Promise<number> {
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        SchedulerService.call.path,
        SchedulerService.call.serialize,
        SchedulerService.call.deserialize,
        call,
        (err) => resolve(err?.code ?? 0),
      );
    });
  }

  /** Takes the first queued event matching `pred`, waiting up to `timeoutMs`. */
  take(pred: (e: Event) => boolean, what: string, timeoutMs = 10_000): Promise<Event> {
    return waitFor(
      () => {
        const i = this.pending.findIndex(pred);
        if (i < 0) return undefined;
        return this.pending.splice(i, 1)[0];
      },
      { timeoutMs, intervalMs: 10, message: what },
    );
  }

  /** Events of `type` received so far (consumed or not). */
  seen(type: EventType): Event[] {
    return this.events.filter((e) => e.type === type);
  }

  /** The offers of the next OFFERS event. */
  async offers(timeoutMs = 10_000): Promise<IOffer[]> {
    const ev = await this.take((e) => e.type === EventType.OFFERS, 'an OFFERS event', timeoutMs);
    return ev.offers?.offers ?? [];
  }

  /**
   * Launches one command task on the next offer and waits for it to end,
   * acknowledging each update; resolves with its terminal status.
   */
  async runTask(taskId: string, resources: string, command: ICommandInfo, timeoutMs = 30_000): Promise<ITaskStatus> {
    const [offer] = await this.offers(timeoutMs);
    if (!offer) throw new Error('an OFFERS event without offers');
    const agentId = offer.agentId?.value ?? '';
    this.send({
      type: CallType.ACCEPT,
      accept: {
        offerIds: [{ value: offer.id?.value ?? '' }],
        operations: [
          {
            type: OperationType.LAUNCH,
            launch: {
              taskInfos: [
                {
                  name: taskId,
                  taskId: { value: taskId },
                  agentId: { value: agentId },
                  resources: Resources.parse(resources).toProto(),
                  command,
                },
              ],
            },
          },
        ],
        filters: { refuseSeconds: 0 },
      },
    });
    for (;;) {
      const ev = await this.take(
        (e) => e.type === EventType.UPDATE && e.update?.status?.taskId?.value === taskId,
        `an update of ${taskId}`,
        timeoutMs,
      );
      const status = ev.update?.status ?? { state: TaskState.TASK_LOST };
      if (status.uuid && status.uuid.length > 0) {
        this.send({
          type: CallType.ACKNOWLEDGE,
          acknowledge: { agentId: { value: agentId }, taskId: { value: taskId }, uuid: status.uuid },
        });
      }
      if (isTerminalState(status.state)) return status;
    }
  }

  close(): void {
    this.stream.end();
    this.client.close();
  }
}
