// A fake master for driver tests: a real grpc-js server with the Scheduler
// service on 127.0.0.1:0, answering SUBSCRIBE and recording every call.
import * as grpc from '@grpc/grpc-js';
import { CallType, EventType, SchedulerService, type Call, type IEvent } from '@mesocosm/protocol';
import { waitFor } from './wait-for.js';

/** One subscription stream as the fake master sees it. */
export interface FakeStream {
  readonly index: number;
  readonly call: grpc.ServerDuplexStream<Call, IEvent>;
  frameworkId: string;
  streamId: string;
  ended: boolean;
}

/** How the fake answers the next SUBSCRIBE. */
export interface SubscribeBehaviour {
  /** Answer with an ERROR event carrying this code, then close. */
  refuse?: { code: string; message: string };
  /** Answer nothing at all. */
  silent?: boolean;
}

export class FakeMaster {
  readonly calls: Array<{ stream: number; call: Call }> = [];
  readonly streams: FakeStream[] = [];
  heartbeatIntervalSeconds = 15;
  epoch = 1;
  /** Behaviours for the next SUBSCRIBEs, consumed in order. */
  readonly nextSubscribes: SubscribeBehaviour[] = [];
  private frameworks = 0;

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(port = 0): Promise<FakeMaster> {
    const server = new grpc.Server();
    const ref: { master?: FakeMaster } = {};
    server.addService(SchedulerService, {
      subscribe: (call: grpc.ServerDuplexStream<Call, IEvent>) => ref.master?.onStream(call),
      call: (_call: grpc.ServerUnaryCall<Call, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, {}),
    });
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    ref.master = new FakeMaster(server, bound);
    return ref.master;
  }

  private onStream(call: grpc.ServerDuplexStream<Call, IEvent>): void {
    const stream: FakeStream = { index: this.streams.length, call, frameworkId: '', streamId: '', ended: false };
    this.streams.push(stream);
    call.on('error', () => {});
    call.on('end', () => {
      stream.ended = true;
      call.end();
    });
    call.on('data', (c: Call) => {
      this.calls.push({ stream: stream.index, call: c });
      if (stream.streamId === '') this.onFirstCall(stream, c);
      else if (c.streamId !== stream.streamId || c.frameworkId?.value !== stream.frameworkId) {
        this.send({ type: EventType.ERROR, error: { code: 'STALE_STREAM', message: 'wrong stream' } }, stream);
      } else if (c.type === CallType.TEARDOWN) {
        this.end(stream);
      }
    });
  }

  private onFirstCall(stream: FakeStream, c: Call): void {
    if (c.type !== CallType.SUBSCRIBE) {
      this.send({ type: EventType.ERROR, error: { code: 'NOT_SUBSCRIBED', message: 'subscribe first' } }, stream);
      this.end(stream);
      return;
    }
    const behaviour = this.nextSubscribes.shift() ?? {};
    if (behaviour.silent) {
      stream.streamId = 'silent';
      return;
    }
    if (behaviour.refuse) {
      this.send({ type: EventType.ERROR, error: behaviour.refuse }, stream);
      this.end(stream);
      return;
    }
    stream.frameworkId = c.subscribe?.frameworkInfo?.id?.value || `fw-${++this.frameworks}`;
    stream.streamId = `stream-${stream.index}`;
    this.send(
      {
        type: EventType.SUBSCRIBED,
        subscribed: {
          frameworkId: { value: stream.frameworkId },
          streamId: stream.streamId,
          heartbeatIntervalSeconds: this.heartbeatIntervalSeconds,
          masterInfo: { id: 'fake-master', hostname: 'localhost', grpcPort: this.port, epoch: this.epoch },
        },
      },
      stream,
    );
  }

  /** The latest stream. */
  get current(): FakeStream {
    const s = this.streams[this.streams.length - 1];
    if (!s) throw new Error('no stream yet');
    return s;
  }

  /** Sends an event (with the master's epoch unless it carries its own) on a stream, the latest by default. */
  send(event: IEvent, stream: FakeStream = this.current): void {
    if (!stream.ended) stream.call.write({ epoch: this.epoch, ...event });
  }

  /** Ends a stream from the master's side (status OK), the latest by default. */
  end(stream: FakeStream = this.current): void {
    if (stream.ended) return;
    stream.ended = true;
    stream.call.end();
  }

  /** Calls of a type, in arrival order. */
  callsOf(type: CallType): Array<{ stream: number; call: Call }> {
    return this.calls.filter((c) => c.call.type === type);
  }

  /** Waits until `count` calls of `type` have arrived; returns them. */
  waitForCalls(type: CallType, count = 1): Promise<Array<{ stream: number; call: Call }>> {
    return waitFor(() => {
      const found = this.callsOf(type);
      return found.length >= count ? found : undefined;
    }, `${count} ${CallType[type]} call(s)`);
  }

  async stop(): Promise<void> {
    for (const s of this.streams) this.end(s);
    this.server.forceShutdown();
  }
}
