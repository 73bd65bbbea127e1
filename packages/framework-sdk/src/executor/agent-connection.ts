// The executor driver's stream: `Executor.Subscribe` to its agent, over TLS
// when the agent serves it, with the executor's token as
// `authorization: Bearer <token>` metadata when it has one.
import * as grpc from '@grpc/grpc-js';
import { ExecutorService, type ExecutorEvent, type IExecutorCall, type TlsMaterial } from '@mesocosm/protocol';
import { BidiStream, type StreamListener } from '../bidi-stream.js';

/** The call metadata carrying an executor's token, or undefined without one. @internal */
export function executorTokenMetadata(token: string | undefined): grpc.Metadata | undefined {
  if (token === undefined || token === '') return undefined;
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** An executor stream to the agent at `address`. @internal */
export class AgentConnection extends BidiStream<IExecutorCall, ExecutorEvent> {
  constructor(address: string, listener: StreamListener<ExecutorEvent>, tls?: TlsMaterial, token?: string) {
    super(address, ExecutorService.subscribe, 'agent', listener, {}, tls, executorTokenMetadata(token));
  }
}
