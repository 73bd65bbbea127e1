// The scheduler driver's stream: `Scheduler.Subscribe` to one master.
import type * as grpc from '@grpc/grpc-js';
import { SchedulerService, type Event, type ICall, type TlsMaterial } from '@mesocosm/protocol';
import { BidiStream, type StreamListener } from './bidi-stream.js';

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // OFFERS events for a large cluster exceed grpc-js' 4 MiB default.
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
};

/**
 * A subscription stream to the master at `address` (over TLS with `tls`;
 * `metadata` carries the framework's credential). @internal
 */
export class MasterConnection extends BidiStream<ICall, Event> {
  constructor(address: string, listener: StreamListener<Event>, tls?: TlsMaterial, metadata?: grpc.Metadata) {
    super(address, SchedulerService.subscribe, 'master', listener, CHANNEL_OPTIONS, tls, metadata);
  }
}
