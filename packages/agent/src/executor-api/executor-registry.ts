// What the executor API's edge needs from the agent: who may subscribe, and
// where their calls go. The gRPC edge knows nothing else.
import type { ExecutorCall, IExecutorEvent } from '@mesocosm/protocol';

/** One executor's stream, as the agent sees it. */
export interface ExecutorStream {
  /** Writes an event; dropped once the stream is over. */
  send(event: IExecutorEvent): void;
  /** Ends the stream (the executor sees it closed). */
  close(): void;
}

/** A subscribed executor: receives its later calls and the end of its stream. */
export interface ExecutorSession {
  /** UPDATE or MESSAGE (already checked to carry the subscribed IDs). */
  receive(call: ExecutorCall): void;
  /** The stream is over, whichever side ended it. */
  closed(): void;
}

/** Decides on SUBSCRIBE. */
export interface ExecutorRegistry {
  /** A session for this executor, or why it is refused (sent as an ERROR event before closing). */
  subscribe(
    frameworkId: string,
    executorId: string,
    call: ExecutorCall,
    stream: ExecutorStream,
  ): ExecutorSession | string;
  /**
   * The container this executor runs in now, if it runs: an authenticated
   * executor's token must have been issued for it (a token of an earlier run
   * of the same executor ID is refused).
   */
  containerId?(frameworkId: string, executorId: string): string | undefined;
}
