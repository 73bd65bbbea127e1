// A bidirectional gRPC stream on the bare wire (the agent API, the executor
// API): messages written exactly as given, events kept, the end recorded.
import * as grpc from '@grpc/grpc-js';
import type { MethodDescriptor } from '@mesocosm/protocol';

/** Messages larger than this are refused by the client itself (the servers' limit is 4 MiB). */
export const FUZZ_MAX_SEND_BYTES = 8 * 1024 * 1024;

/** A gRPC client to `address` that sends messages up to {@link FUZZ_MAX_SEND_BYTES}. */
export function fuzzClient(address: string): grpc.Client {
  return new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': FUZZ_MAX_SEND_BYTES,
  });
}

/** One raw stream of `method` to `address`. */
export class RawStream<C, E> {
  readonly events: E[] = [];
  /** Set once the stream ended (either side), with the reason. */
  ended: string | undefined;
  private readonly client: grpc.Client;
  private readonly ownsClient: boolean;
  private readonly stream: grpc.ClientDuplexStream<C, E>;

  /** A stream on `client` (one connection for many streams), or on a client of its own to `address`. */
  constructor(address: string, method: MethodDescriptor<C, E>, client?: grpc.Client) {
    this.ownsClient = client === undefined;
    this.client = client ?? fuzzClient(address);
    this.stream = this.client.makeBidiStreamRequest(method.path, method.serialize, method.deserialize);
    this.stream.on('data', (e: E) => this.events.push(e));
    this.stream.on('error', (err: Error) => (this.ended ??= err.message));
    this.stream.on('end', () => (this.ended ??= 'end'));
    this.stream.on('close', () => (this.ended ??= 'closed'));
  }

  write(message: C): void {
    if (this.ended === undefined) this.stream.write(message);
  }

  close(): void {
    this.stream.cancel();
    if (this.ownsClient) this.client.close();
  }
}
