// A bidirectional gRPC stream as a core connection: writes after the end are
// dropped, and the end is reported once whichever side ends it.
import type { ServerDuplexStream } from '@grpc/grpc-js';

/** A connection the core can send on and close. @internal */
export interface DuplexConnection<Out> {
  send(message: Out): void;
  close(): void;
}

/**
 * Wraps `call`: incoming messages go to `onData`, and `onEnd` runs once when
 * the stream ends for any reason (client half-close, cancel, error, our close).
 */
export function duplexConnection<In, Out>(
  call: ServerDuplexStream<In, Out>,
  onData: (message: In) => void,
  onEnd: () => void,
): DuplexConnection<Out> {
  let ended = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  const conn: DuplexConnection<Out> = {
    send(message) {
      if (ended || call.writableEnded || call.destroyed) return;
      call.write(message);
    },
    close() {
      const wasEnded = ended;
      finish();
      if (!wasEnded && !call.writableEnded && !call.destroyed) call.end();
    },
  };
  call.on('data', (m: In) => {
    if (!ended) onData(m);
  });
  call.on('end', () => conn.close());
  call.on('cancelled', finish);
  call.on('error', finish);
  call.on('close', finish);
  return conn;
}
