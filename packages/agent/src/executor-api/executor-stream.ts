// One `Executor.Subscribe` stream on the agent: the first call must be a
// SUBSCRIBE that the registry accepts, else an ERROR event and the stream is
// closed; later calls must carry the same executor and framework IDs, and a
// MESSAGE at most MAX_MESSAGE_DATA_BYTES of data (a larger one gets an ERROR
// event and goes no further; the stream stays open). A call over any other
// bound of wire input (limits.ts) gets an ERROR event too.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import {
  ExecutorCallType,
  ExecutorEventType,
  MAX_MESSAGE_DATA_BYTES,
  validateExecutorCallBounds,
  type ExecutorCall,
  type IExecutorEvent,
  type Logger,
} from '@mesocosm/protocol';
import type { ExecutorRegistry, ExecutorSession, ExecutorStream } from './executor-registry.js';

/** Serves one executor stream until it ends. @internal */
export function serveExecutorStream(
  call: ServerDuplexStream<ExecutorCall, IExecutorEvent>,
  registry: ExecutorRegistry,
  logger: Logger,
): void {
  let ended = false;
  let session: ExecutorSession | undefined;
  let ids: { frameworkId: string; executorId: string } | undefined;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    session?.closed();
  };
  const stream: ExecutorStream = {
    send(event) {
      if (!ended && !call.writableEnded && !call.destroyed) call.write(event);
    },
    close() {
      const wasEnded = ended;
      finish();
      if (!wasEnded && !call.writableEnded && !call.destroyed) call.end();
    },
  };
  const error = (message: string): void => stream.send({ type: ExecutorEventType.ERROR, error: { message } });

  call.on('data', (c: ExecutorCall) => {
    if (ended) return;
    try {
      validateExecutorCallBounds(c);
    } catch (err) {
      // Over a bound of wire input: refused before it is checkpointed or forwarded.
      logger.warn('refusing an executor call over a size limit', { error: String(err) });
      error(err instanceof Error ? err.message : String(err));
      if (!ids) stream.close();
      return;
    }
    const frameworkId = c.frameworkId?.value ?? '';
    const executorId = c.executorId?.value ?? '';
    if (!ids) {
      const refusal =
        c.type !== ExecutorCallType.SUBSCRIBE
          ? `the first call must be SUBSCRIBE, got ${ExecutorCallType[c.type] ?? c.type}`
          : frameworkId === '' || executorId === ''
            ? 'SUBSCRIBE must carry executor_id and framework_id (from MESOCOSM_EXECUTOR_ID and MESOCOSM_FRAMEWORK_ID)'
            : registry.subscribe(frameworkId, executorId, c, stream);
      if (typeof refusal === 'string') {
        logger.warn('refusing an executor', { frameworkId, executorId, why: refusal });
        error(refusal);
        stream.close();
        return;
      }
      ids = { frameworkId, executorId };
      session = refusal;
      return;
    }
    if (frameworkId !== ids.frameworkId || executorId !== ids.executorId) {
      error(
        `this stream belongs to executor '${ids.executorId}' of framework '${ids.frameworkId}': call for '${executorId}' of '${frameworkId}' ignored`,
      );
      return;
    }
    if (c.type === ExecutorCallType.SUBSCRIBE) {
      error('already subscribed on this stream: open a new stream to subscribe again');
      return;
    }
    const bytes = c.message?.data?.length ?? 0;
    if (bytes > MAX_MESSAGE_DATA_BYTES) {
      logger.warn('refusing an executor message over the size limit', { ...ids, bytes });
      error(
        `MESSAGE of ${bytes} bytes not sent: a message to the framework holds at most ${MAX_MESSAGE_DATA_BYTES} bytes of data`,
      );
      return;
    }
    session?.receive(c);
  });
  call.on('end', () => stream.close());
  call.on('cancelled', finish);
  call.on('error', finish);
  call.on('close', finish);
}
