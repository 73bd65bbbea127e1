// The executor driver's stream: `Executor.Subscribe` to its agent.
import { ExecutorService, type ExecutorEvent, type IExecutorCall } from '@mesocosm/protocol';
import { BidiStream, type StreamListener } from '../bidi-stream.js';

/** An executor stream to the agent at `address`. @internal */
export class AgentConnection extends BidiStream<IExecutorCall, ExecutorEvent> {
  constructor(address: string, listener: StreamListener<ExecutorEvent>) {
    super(address, ExecutorService.subscribe, 'agent', listener);
  }
}
