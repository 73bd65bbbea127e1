// A full garbage collection in another Node process, through its inspector
// (the process runs with `--inspect=127.0.0.1:0`; the Chrome DevTools
// protocol's HeapProfiler.collectGarbage), so that its memory figures count
// live objects, not garbage waiting for the next collection.
import WebSocket from 'ws';
import { BenchError, withDeadline } from '../errors.js';

/** The node flag that opens the inspector on a free loopback port. */
export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

/** Picks the inspector's WebSocket URL out of a stderr line (`Debugger listening on ws://...`). */
export function inspectorUrlOf(line: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1];
}

/** Runs a full GC (twice, as DevTools' button does) in the process behind `url`. */
export async function collectGarbage(url: string): Promise<void> {
  const ws = new WebSocket(url);
  try {
    await withDeadline(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', (err) => reject(new BenchError(`cannot reach the inspector at ${url}: ${err.message}`)));
      }),
      10_000,
      'the inspector connection',
    );
    let id = 0;
    const call = (method: string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const mine = ++id;
        const onMessage = (data: WebSocket.RawData): void => {
          const msg = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
          if (msg.id !== mine) return;
          ws.off('message', onMessage);
          if (msg.error) reject(new BenchError(`${method} failed: ${msg.error.message}`));
          else resolve();
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id: mine, method }));
      });
    await withDeadline(call('HeapProfiler.collectGarbage'), 60_000, 'a garbage collection');
    await withDeadline(call('HeapProfiler.collectGarbage'), 60_000, 'a garbage collection');
  } finally {
    ws.close();
  }
}
