// One client-side gRPC bidirectional stream (a framework to its master, an
// executor to its agent): the I/O edge under the drivers. It carries calls
// out and events in, and reports once when the stream is over.
import * as grpc from '@grpc/grpc-js';
import {
  explainTlsFailure,
  grpcChannelCredentials,
  grpcChannelOptions,
  type Clock,
  type MethodDescriptor,
  type TlsMaterial,
} from '@mesocosm/protocol';

/** Callbacks of a {@link BidiStream}. @internal */
export interface StreamListener<Res> {
  onEvent(event: Res): void;
  /** Called once, when the stream is over, unless the driver closed it itself. */
  onClose(reason: string, status?: grpc.StatusObject): void;
}

/**
 * A bidirectional stream of `method` to the server at `address`, over TLS
 * when `tls` is given; `peer` names it in close reasons. @internal
 */
export class BidiStream<Req, Res> {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<Req, Res>;
  private over = false;
  private readonly statusWaiters: Array<() => void> = [];

  constructor(
    readonly address: string,
    method: MethodDescriptor<Req, Res>,
    peer: string,
    private readonly listener: StreamListener<Res>,
    channelOptions: grpc.ChannelOptions = {},
    tls?: TlsMaterial,
    /** Sent when the stream opens (e.g. the `authorization` of a credential). */
    metadata?: grpc.Metadata,
  ) {
    this.client = new grpc.Client(address, grpcChannelCredentials(tls), {
      ...channelOptions,
      ...grpcChannelOptions(tls),
    });
    this.call = metadata
      ? this.client.makeBidiStreamRequest(method.path, method.serialize, method.deserialize, metadata)
      : this.client.makeBidiStreamRequest(method.path, method.serialize, method.deserialize);
    this.call.on('data', (event: Res) => {
      if (!this.over) this.listener.onEvent(event);
    });
    // Errors are reported through 'status' below; a listener keeps them from being thrown.
    this.call.on('error', () => {});
    this.call.on('status', (status: grpc.StatusObject) => {
      const wasOver = this.over;
      this.over = true;
      this.client.close();
      for (const w of this.statusWaiters.splice(0)) w();
      if (wasOver) return;
      const reason =
        status.code === grpc.status.OK
          ? `the ${peer} ended the stream`
          : `stream failed: ${grpc.status[status.code] ?? status.code} ${explainTlsFailure(status.details, tls !== undefined, peer)}`;
      this.listener.onClose(reason, status);
    });
  }

  /** Writes a call; false when the stream is already over. */
  send(call: Req): boolean {
    if (this.over) return false;
    this.call.write(call);
    return true;
  }

  /** Cancels the stream at once; `onClose` is not called. */
  close(): void {
    if (this.over) return;
    this.over = true;
    this.call.cancel();
    this.client.close();
  }

  /**
   * Half-closes the stream and waits (up to `timeoutMs`) for the server to
   * end it, so that calls already written are delivered; then closes.
   * `onClose` is not called.
   */
  async closeGracefully(clock: Clock, timeoutMs: number): Promise<void> {
    if (this.over) return;
    this.over = true;
    await new Promise<void>((resolve) => {
      const timer = clock.setTimeout(resolve, timeoutMs);
      this.statusWaiters.push(() => {
        clock.clearTimeout(timer);
        resolve();
      });
      this.call.end();
    });
    this.call.cancel();
    this.client.close();
  }
}
