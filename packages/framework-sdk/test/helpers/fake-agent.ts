// A fake agent for executor driver tests: a real grpc-js server with the
// Executor service on 127.0.0.1:0 that records every call and lets the test
// answer (or refuse) on each stream.
import * as grpc from '@grpc/grpc-js';
import {
  ExecutorCallType,
  ExecutorEventType,
  ExecutorService,
  type ExecutorCall,
  type IExecutorEvent,
} from '@mesocosm/protocol';

/** One executor stream as the fake agent sees it. */
export interface FakeExecutorStream {
  readonly calls: ExecutorCall[];
  readonly call: grpc.ServerDuplexStream<ExecutorCall, IExecutorEvent>;
  ended: boolean;
}

export class FakeAgent {
  readonly streams: FakeExecutorStream[] = [];
  /** When set, the next SUBSCRIBE is answered with this ERROR and the stream closed. */
  refuseWith: string | undefined;

  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
  ) {}

  static async start(): Promise<FakeAgent> {
    const server = new grpc.Server();
    const holder: { agent?: FakeAgent } = {};
    server.addService(ExecutorService, {
      subscribe: (call: grpc.ServerDuplexStream<ExecutorCall, IExecutorEvent>) => holder.agent?.onStream(call),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    holder.agent = new FakeAgent(server, `127.0.0.1:${port}`);
    return holder.agent;
  }

  private onStream(call: grpc.ServerDuplexStream<ExecutorCall, IExecutorEvent>): void {
    const stream: FakeExecutorStream = { calls: [], call, ended: false };
    this.streams.push(stream);
    call.on('data', (c: ExecutorCall) => {
      stream.calls.push(c);
      if (c.type !== ExecutorCallType.SUBSCRIBE) return;
      if (this.refuseWith !== undefined) {
        call.write({ type: ExecutorEventType.ERROR, error: { message: this.refuseWith } });
        this.end(stream);
        return;
      }
      call.write({ type: ExecutorEventType.SUBSCRIBED, subscribed: { executorInfo: { executorId: c.executorId } } });
    });
    call.on('end', () => this.end(stream));
    call.on('error', () => undefined);
  }

  /** The latest stream. */
  get current(): FakeExecutorStream | undefined {
    return this.streams.at(-1);
  }

  send(event: IExecutorEvent): void {
    this.current?.call.write(event);
  }

  /** Ends a stream from the agent's side (as an agent restart would). */
  end(stream: FakeExecutorStream | undefined = this.current): void {
    if (!stream || stream.ended) return;
    stream.ended = true;
    stream.call.end();
  }

  /** Every call of a type, over all streams. */
  callsOfType(type: ExecutorCallType): ExecutorCall[] {
    return this.streams.flatMap((s) => s.calls).filter((c) => c.type === type);
  }

  async stop(): Promise<void> {
    for (const s of this.streams) this.end(s);
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server.forceShutdown();
  }
}
