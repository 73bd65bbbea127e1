// A raw grpc-js client of the executor API (no SDK): opens Executor.Subscribe
// with the given `authorization` metadata, writes calls, and reports the
// events it got and the status the stream ended with.
import * as grpc from '@grpc/grpc-js';
import {
  ExecutorCallType,
  ExecutorService,
  grpcChannelCredentials,
  type ExecutorEvent,
  type IExecutorCall,
  type TlsMaterial,
} from '@mesocosm/protocol';

/** How a raw stream went. */
export interface RawOutcome {
  readonly status: grpc.StatusObject;
  readonly events: ExecutorEvent[];
}

/** A SUBSCRIBE as executor `executorId` of `frameworkId`. */
export function subscribeCall(frameworkId: string, executorId: string): IExecutorCall {
  return {
    type: ExecutorCallType.SUBSCRIBE,
    frameworkId: { value: frameworkId },
    executorId: { value: executorId },
    subscribe: {},
  };
}

/**
 * Opens a stream to `address`, writes `calls`, and waits for its status
 * (the stream is cancelled after `settleMs` if the server keeps it open).
 */
export function rawExecutorStream(
  address: string,
  authorization: string | undefined,
  calls: readonly IExecutorCall[],
  options: { tls?: TlsMaterial; settleMs?: number } = {},
): Promise<RawOutcome> {
  const client = new grpc.Client(address, grpcChannelCredentials(options.tls));
  const metadata = new grpc.Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  const m = ExecutorService.subscribe;
  const call = client.makeBidiStreamRequest(m.path, m.serialize, m.deserialize, metadata);
  const events: ExecutorEvent[] = [];
  return new Promise((resolve) => {
    const timer = setTimeout(() => call.cancel(), options.settleMs ?? 5_000);
    call.on('data', (e: ExecutorEvent) => void events.push(e));
    call.on('error', () => undefined);
    call.on('status', (status: grpc.StatusObject) => {
      clearTimeout(timer);
      client.close();
      resolve({ status, events });
    });
    for (const c of calls) call.write(c);
  });
}
