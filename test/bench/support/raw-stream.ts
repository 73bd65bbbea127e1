// The event-rate limit: a bare grpc-js bidi stream with the Scheduler
// service's own method and codecs (Call in, Event out), whose server answers
// each task of a RECONCILE call with one UPDATE event shaped like the
// master's reconciliation answer. No master, no driver: only gRPC, HTTP/2 and
// protobuf encoding, on this machine.
import * as grpc from '@grpc/grpc-js';
import {
  CallType,
  EventType,
  SchedulerService,
  TaskState,
  TaskStatusReason,
  TaskStatusSource,
  type Call,
  type Event,
  type ICall,
  type IEvent,
} from '@mesocosm/protocol';
import { BenchError } from '../errors.js';

/** A running raw server. */
export interface RawServer {
  readonly address: string;
  stop(): Promise<void>;
}

/** The UPDATE the master sends for a task it does not know (see master reconcile). */
export function reconcileAnswer(taskId: string): IEvent {
  return {
    type: EventType.UPDATE,
    update: {
      status: {
        taskId: { value: taskId },
        state: TaskState.TASK_LOST,
        reason: TaskStatusReason.REASON_RECONCILIATION,
        message: `task '${taskId}' is unknown to the master`,
        source: TaskStatusSource.SOURCE_MASTER,
        timestamp: Date.now() / 1000,
      },
    },
  };
}

/** A RECONCILE call for `taskIds`. */
export function reconcileCall(taskIds: readonly string[]): ICall {
  return { type: CallType.RECONCILE, reconcile: { tasks: taskIds.map((value) => ({ taskId: { value } })) } };
}

/** Writes `items` through `write`, waiting for 'drain' whenever the stream's buffer is full. */
async function writeAll<T>(stream: NodeJS.EventEmitter, items: Iterable<T>, write: (item: T) => boolean) {
  for (const item of items) if (!write(item)) await new Promise((r) => stream.once('drain', r));
}

/** Starts the raw reconcile-echo server on 127.0.0.1 and a free port. */
export async function startRawServer(): Promise<RawServer> {
  const server = new grpc.Server();
  const service = { subscribe: SchedulerService.subscribe } as unknown as grpc.ServiceDefinition;
  server.addService(service, {
    subscribe: (stream: grpc.ServerDuplexStream<Call, IEvent>) => {
      // Answers in order, one call after the other, respecting backpressure.
      let chain = Promise.resolve();
      stream.on('data', (call: Call) => {
        const ids = (call.reconcile?.tasks ?? []).map((t) => t.taskId?.value ?? '');
        chain = chain.then(() => writeAll(stream, ids, (id) => stream.write(reconcileAnswer(id))));
      });
      stream.on('end', () => void chain.then(() => stream.end()));
      stream.on('error', () => {});
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(new BenchError(`cannot bind the raw gRPC server: ${err.message}`)) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/**
 * Sends `count` task IDs in RECONCILE calls of `perCall` tasks each over one
 * new stream, keeping at most `window` tasks unanswered, and resolves with
 * the events received per second, from the first write to the last event.
 */
export async function rawEventRate(address: string, count: number, perCall: number, window: number): Promise<number> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const m = SchedulerService.subscribe;
  const stream = client.makeBidiStreamRequest<ICall, Event>(m.path, m.serialize, m.deserialize);
  try {
    let sent = 0;
    let received = 0;
    const pump = (): void => {
      while (sent < count && sent - received + perCall <= Math.max(window, perCall)) {
        const n = Math.min(perCall, count - sent);
        stream.write(reconcileCall(Array.from({ length: n }, (_, k) => `raw-${sent + k}`)));
        sent += n;
      }
    };
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', () => {
        if (++received === count) resolve();
        else pump();
      });
      stream.on('error', (err: Error) => reject(new BenchError(`raw stream failed: ${err.message}`)));
    });
    const start = performance.now();
    pump();
    await done;
    return count / ((performance.now() - start) / 1000);
  } finally {
    stream.end();
    stream.cancel();
    client.close();
  }
}
