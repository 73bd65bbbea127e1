// Limits for the scenarios whose master is a child process: a bare grpc-js
// server in a child process (support/raw-echo-main.ts, the Scheduler
// service's own method and codecs, one UPDATE event answered per task of a
// RECONCILE call), and clients in this process that measure its echo rate
// over many connections and its round-trip latency.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { SchedulerService, type Event, type ICall } from '@mesocosm/protocol';
import { DaemonProcess } from '@mesocosm/testing';
import { BenchError, withDeadline } from '../errors.js';
import { cpuMs } from './proc-stats.js';
import { reconcileCall } from './raw-stream.js';

/** The raw server process. */
export interface RawServerProcess {
  readonly address: string;
  /** Its user + system CPU time so far, ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the bare echo server as a child process. */
export async function startRawServerProcess(): Promise<RawServerProcess> {
  const main = join(dirname(fileURLToPath(import.meta.url)), 'raw-echo-main.js');
  const proc = await DaemonProcess.start(process.execPath, [main], { name: 'raw gRPC server' });
  const pid = proc.pid;
  if (!proc.ready.grpc || pid === undefined) throw new BenchError('the raw gRPC server printed no address');
  return { address: proc.ready.grpc, cpuMs: () => cpuMs(pid), stop: async () => void (await proc.kill('SIGTERM')) };
}

type Stream = grpc.ClientDuplexStream<ICall, Event>;

/** One echo client: its own connection (as each agent and framework has) and one stream. */
function openStream(address: string): { client: grpc.Client; stream: Stream } {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  const m = SchedulerService.subscribe;
  const stream = client.makeBidiStreamRequest<ICall, Event>(m.path, m.serialize, m.deserialize);
  stream.on('error', () => {}); // the cancellation of close(); a failure mid-run is reported by runEchoes
  return { client, stream };
}

function close(c: { client: grpc.Client; stream: Stream }): void {
  c.stream.end();
  c.stream.cancel();
  c.client.close();
}

/** How a group of echo streams is loaded. */
export interface EchoLoad {
  /** Connections (one stream each). */
  readonly streams: number;
  /** Echoes each stream does. */
  readonly perStream: number;
  /** Calls each stream keeps unanswered, at most. */
  readonly window: number;
}

/**
 * Echo pairs per second of a traffic mix: each group is run on its own (its
 * streams all at once) and the rate is the total over the sum of the groups'
 * times, as a server would take the mix one share after the other.
 */
export async function mixedEchoRate(address: string, groups: readonly EchoLoad[]): Promise<number> {
  let seconds = 0;
  let total = 0;
  for (const g of groups) {
    const n = g.streams * g.perStream;
    seconds += n / (await echoRate(address, [g]));
    total += n;
  }
  return total / seconds;
}

/**
 * Echo pairs (one call in, one event out) per second over every stream of
 * every group at once, from the first write to the last event.
 */
export async function echoRate(address: string, groups: readonly EchoLoad[], timeoutMs = 120_000): Promise<number> {
  const opened = groups.flatMap((g) => Array.from({ length: g.streams }, () => ({ g, ...openStream(address) })));
  try {
    // Open every connection first (one echo each), so that the timing is the exchange alone.
    await withDeadline(
      Promise.all(opened.map((o) => runEchoes(o.stream, 1, 1))),
      timeoutMs,
      `${opened.length} raw connections`,
    );
    const total = groups.reduce((n, g) => n + g.streams * g.perStream, 0);
    const start = performance.now();
    await withDeadline(
      Promise.all(opened.map((o) => runEchoes(o.stream, o.g.perStream, o.g.window))),
      timeoutMs,
      `${total} raw echoes`,
    );
    return total / ((performance.now() - start) / 1000);
  } finally {
    for (const o of opened) close(o);
  }
}

/** `count` echoes on `stream`, `window` in flight at most. */
function runEchoes(stream: Stream, count: number, window: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let sent = 0;
    let received = 0;
    const pump = (): void => {
      while (sent < count && sent - received < window) stream.write(reconcileCall([`e${sent++}`]));
    };
    const onData = (): void => {
      if (++received === count) {
        stream.off('data', onData);
        stream.off('error', onError);
        resolve();
      } else pump();
    };
    const onError = (err: Error): void => reject(new BenchError(`raw echo stream failed: ${err.message}`));
    stream.on('data', onData);
    stream.on('error', onError);
    pump();
  });
}

/**
 * Time (ms) for this process to open `count` new connections to the server
 * at once and complete one echo on each: what re-connecting that many
 * simulated agents costs the bench process itself, with no master.
 */
export async function reconnectAll(address: string, count: number): Promise<number> {
  const start = performance.now();
  const opened: Array<{ client: grpc.Client; stream: Stream }> = [];
  try {
    await withDeadline(
      Promise.all(
        Array.from({ length: count }, () => {
          const o = openStream(address);
          opened.push(o);
          return runEchoes(o.stream, 1, 1);
        }),
      ),
      120_000,
      `${count} raw connections`,
    );
    return performance.now() - start;
  } finally {
    for (const o of opened) close(o);
  }
}

/** Round trips (ms) of `count` echoes, one at a time, on one new connection, after `warmup` untimed ones. */
export async function echoLatencies(address: string, count: number, warmup = 50): Promise<number[]> {
  const c = openStream(address);
  try {
    const out: number[] = [];
    for (let i = 0; i < warmup + count; i++) {
      const start = performance.now();
      await runEchoes(c.stream, 1, 1);
      if (i >= warmup) out.push(performance.now() - start);
    }
    return out;
  } finally {
    close(c);
  }
}
