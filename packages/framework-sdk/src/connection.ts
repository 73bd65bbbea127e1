// One gRPC `Scheduler.Subscribe` stream to one master: the I/O edge of the
// scheduler driver. It knows nothing of subscriptions; it carries calls out
// and events in, and reports once when the stream is over.
import * as grpc from '@grpc/grpc-js';
import { SchedulerService } from '@mesocosm/protocol';
import type { Clock, Event, ICall } from '@mesocosm/protocol';

/** Callbacks of a {@link MasterConnection}. @internal */
export interface ConnectionListener {
  onEvent(event: Event): void;
  /** Called once, when the stream is over, unless the driver closed it itself. */
  onClose(reason: string, status?: grpc.StatusObject): void;
}

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // OFFERS events for a large cluster exceed grpc-js' 4 MiB default.
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
};

/** A bidirectional subscription stream to the master at `address`. @internal */
export class MasterConnection {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<ICall, Event>;
  private over = false;
  private readonly statusWaiters: Array<() => void> = [];

  constructor(
    readonly address: string,
    private readonly listener: ConnectionListener,
  ) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    this.call = this.client.makeBidiStreamRequest(
      SchedulerService.subscribe.path,
      SchedulerService.subscribe.serialize,
      SchedulerService.subscribe.deserialize,
    );
    this.call.on('data', (event: Event) => {
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
          ? 'the master ended the stream'
          : `stream failed: ${grpc.status[status.code] ?? status.code} ${status.details}`;
      this.listener.onClose(reason, status);
    });
  }

  /** Writes a call; false when the stream is already over. */
  send(call: ICall): boolean {
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
   * Half-closes the stream and waits (up to `timeoutMs`) for the master to
   * end it, so that calls already written are delivered; then closes.
   * `onClose` is not called.
   */
  async closeGracefully(clock: Clock, timeoutMs: number): Promise<void> {
    if (this.over) return;
    const done = new Promise<void>((resolve) => {
      this.statusWaiters.push(resolve);
      const timer = clock.setTimeout(resolve, timeoutMs);
      this.statusWaiters.push(() => clock.clearTimeout(timer));
    });
    this.over = true;
    this.call.end();
    await done;
    this.call.cancel();
    this.client.close();
  }
}
