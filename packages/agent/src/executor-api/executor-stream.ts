// One `Executor.Subscribe` stream on the agent: the first call must be a
// SUBSCRIBE that the registry accepts, else an ERROR event and the stream is
// closed; later calls must carry the same executor and framework IDs, and a
// MESSAGE at most MAX_MESSAGE_DATA_BYTES of data (a larger one gets an ERROR
// event and goes no further; the stream stays open). A call over any other
// bound of wire input (limits.ts) gets an ERROR event too.
// When executors are authenticated, the stream's `authorization` metadata
// must carry a token of this agent (else the call ends UNAUTHENTICATED before
// any call is read), and every call must be for the executor, framework and
// container the token was issued to (else it ends PERMISSION_DENIED).
import { status as GrpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
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
import type { ExecutorAuthenticator } from './executor-secret.js';
import { executorPermission, type ExecutorClaims } from './executor-token.js';

/** Serves one executor stream until it ends; `auth`: executors must present a token. @internal */
export function serveExecutorStream(
  call: ServerDuplexStream<ExecutorCall, IExecutorEvent>,
  registry: ExecutorRegistry,
  logger: Logger,
  auth?: ExecutorAuthenticator,
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
  /** Ends the call with a gRPC status: the caller is not let in (its later calls are dropped). */
  const refuse = (code: GrpcStatus, details: string): void => {
    if (ended) return;
    finish();
    if (!call.writableEnded && !call.destroyed) call.emit('error', { code, details, message: details });
  };

  let claims: ExecutorClaims | undefined;
  if (auth) {
    const [authorization] = call.metadata.get('authorization');
    const check = auth.verify(typeof authorization === 'string' ? authorization : undefined);
    if (!check.ok) {
      logger.warn('refusing an unauthenticated executor stream', { peer: call.getPeer(), why: check.message });
      refuse(GrpcStatus.UNAUTHENTICATED, check.message);
      // Whatever the caller sends is read and dropped, so that its stream ends cleanly.
      call.on('data', () => undefined);
      return;
    }
    claims = check.claims;
  }

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
    if (claims) {
      const container = ids ? undefined : registry.containerId?.(frameworkId, executorId);
      const denied = executorPermission(claims, frameworkId, executorId, container);
      if (denied !== undefined) {
        logger.warn('refusing an executor call its token does not allow', { frameworkId, executorId, why: denied });
        refuse(GrpcStatus.PERMISSION_DENIED, denied);
        return;
      }
    }
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
