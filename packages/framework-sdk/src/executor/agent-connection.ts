// One gRPC `Executor.Subscribe` stream to the agent: the I/O edge of the
// executor driver. It carries calls out and events in, and reports once when
// the stream is over.
import * as grpc from '@grpc/grpc-js';
import { ExecutorService, type Clock, type ExecutorEvent, type IExecutorCall } from '@mesocosm/protocol';

/** Callbacks of an {@link AgentConnection}. @internal */
export interface AgentConnectionListener {
  onEvent(event: ExecutorEvent): void;
  /** Called once when the stream is over, unless the driver closed it itself. */
  onClose(reason: string): void;
}

/** A bidirectional executor stream to the agent at `address`. @internal */
export class AgentConnection {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<IExecutorCall, ExecutorEvent>;
  private over = false;
  private readonly statusWaiters: Array<() => void> = [];

  constructor(
    readonly address: string,
    private readonly listener: AgentConnectionListener,
  ) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure());
    this.call = this.client.makeBidiStreamRequest(
      ExecutorService.subscribe.path,
      ExecutorService.subscribe.serialize,
      ExecutorService.subscribe.deserialize,
    );
    this.call.on('data', (event: ExecutorEvent) => {
      if (!this.over) this.listener.onEvent(event);
    });
    // Errors are reported through 'status'; a listener keeps them from being thrown.
    this.call.on('error', () => {});
    this.call.on('status', (status: grpc.StatusObject) => {
      const wasOver = this.over;
      this.over = true;
      this.client.close();
      for (const w of this.statusWaiters.splice(0)) w();
      if (wasOver) return;
      this.listener.onClose(
        status.code === grpc.status.OK
          ? 'the agent ended the stream'
          : `stream failed: ${grpc.status[status.code] ?? status.code} ${status.details}`,
      );
    });
  }

  /** Writes a call; false when the stream is over. */
  send(call: IExecutorCall): boolean {
    if (this.over) return false;
    this.call.write(call);
    return true;
  }

  /** Ends the stream at once; `onClose` is not called. */
  close(): void {
    if (this.over) return;
    this.over = true;
    this.call.cancel();
    this.client.close();
  }

  /**
   * Half-closes the stream and waits (up to `timeoutMs`) for the agent to end
   * it, so that calls already written are delivered; then closes. `onClose`
   * is not called.
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
