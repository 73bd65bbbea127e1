// A bidirectional gRPC stream as a core connection: writes after the end are
// dropped, and the end is reported once whichever side ends it. Both ways are
// bounded. In: while too many calls wait for the core (it handles a stream's
// calls one after another), the stream is paused, so HTTP/2 flow control
// holds the peer back instead of the master buffering without end. Out: a
// peer that stops reading while events pile up for it is cut off, as a slow
// consumer: the core treats the stream as closed (a framework fails over,
// an agent re-registers) and stops producing for it.
import type { ServerDuplexStream } from '@grpc/grpc-js';

/** A connection the core can send on and close. @internal */
export interface DuplexConnection<Out> {
  send(message: Out): void;
  close(): void;
}

/** The bounds of one stream. @internal */
export interface FlowLimits {
  /** Calls waiting for the core at which reading pauses. */
  readonly pauseAt: number;
  /** Calls waiting at which it resumes. */
  readonly resumeAt: number;
  /** Events queued for the peer beyond which a stall counts (a burst below it never does). */
  readonly stalledQueue: number;
  /** How long the peer may take no event at all while more than `stalledQueue` wait. */
  readonly stallMs: number;
}

/**
 * The defaults. A reconciliation of every task of a large framework queues
 * tens of thousands of UPDATEs at once for a healthy peer: that is not a
 * stall, since it keeps taking them; only no progress at all for 30 s is.
 */
export const DEFAULT_FLOW_LIMITS: FlowLimits = { pauseAt: 1024, resumeAt: 256, stalledQueue: 1024, stallMs: 30_000 };

/** What the edge is told about a stream cut off as a slow consumer. @internal */
export interface Overflow {
  readonly queued: number;
  readonly stalledMs: number;
}

/**
 * Wraps `call`: incoming messages go to `onData` (which may return a promise
 * settled once the message is handled: the count of those pending drives the
 * pause), and `onEnd` runs once when the stream ends for any reason (client
 * half-close, cancel, error, our close, a stalled peer).
 */
export function duplexConnection<In, Out>(
  call: ServerDuplexStream<In, Out>,
  onData: (message: In) => Promise<void> | void,
  onEnd: () => void,
  options: { limits?: FlowLimits; onOverflow?: (o: Overflow) => void } = {},
): DuplexConnection<Out> {
  const limits = options.limits ?? DEFAULT_FLOW_LIMITS;
  let ended = false;
  let pending = 0;
  // Events handed to grpc-js so far, and when that count last moved while the queue was long.
  let written = 0;
  let seenWritten = 0;
  let progressAt = 0;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  const stalled = (): boolean => {
    if (call.writableLength <= limits.stalledQueue) {
      progressAt = 0;
      return false;
    }
    const now = Date.now();
    if (progressAt === 0 || written !== seenWritten) {
      seenWritten = written;
      progressAt = now;
      return false;
    }
    return now - progressAt > limits.stallMs;
  };
  const conn: DuplexConnection<Out> = {
    send(message) {
      if (ended || call.writableEnded || call.destroyed) return;
      if (stalled()) {
        options.onOverflow?.({ queued: call.writableLength, stalledMs: Date.now() - progressAt });
        // What is queued stays (grpc-js cannot drop it), but nothing more is added: the
        // core hears the stream is gone and stops sending; the peer reads the end if it
        // ever reads again, or its connection dies.
        conn.close();
        return;
      }
      call.write(message, () => {
        written++;
      });
    },
    close() {
      const wasEnded = ended;
      finish();
      if (!wasEnded && !call.writableEnded && !call.destroyed) call.end();
    },
  };
  const settled = (): void => {
    pending--;
    if (pending <= limits.resumeAt && call.isPaused()) call.resume();
  };
  call.on('data', (m: In) => {
    if (ended) return;
    const handled = onData(m);
    if (!handled) return;
    pending++;
    if (pending >= limits.pauseAt && !call.isPaused()) call.pause();
    handled.then(settled, settled);
  });
  call.on('end', () => conn.close());
  call.on('cancelled', finish);
  call.on('error', finish);
  call.on('close', finish);
  return conn;
}
