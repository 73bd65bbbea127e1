// GET /master/state on the wire: the document's chunks (views/state-writer.ts)
// written as they are made, the writer paused while QUEUED_BYTES wait in the
// response's buffer (until 'drain'): at 10,000 agents / 100,000 tasks the
// master holds a few MiB of a 60 MiB document at a time, not all of it. The
// length is not known in advance: the body goes chunked (HTTP/1.1).
import type { ServerResponse } from 'node:http';
import type { Viewer } from '../auth/viewer.js';
import type { MasterContext } from '../core/types.js';
import { stateChunks } from '../views/state-writer.js';

/**
 * How much may wait in the response's buffer before the writer pauses for a
 * 'drain': a few turns of the event loop per document rather than one per
 * chunk (the socket's own high-water mark is 16 KiB).
 */
export const QUEUED_BYTES = 2 * 1024 * 1024;

/** Resolves true once `res` has drained, false if it closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (ok: boolean) => (): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

async function pump(res: ServerResponse, chunks: Generator<string, void, undefined>): Promise<void> {
  for (const chunk of chunks) {
    if (res.destroyed) return; // the client went away: the generator is closed by the loop's exit
    res.write(chunk);
    if (res.writableLength >= QUEUED_BYTES && !(await drained(res))) return;
  }
  res.end();
}

/** Answers GET (or HEAD) /master/state with what `viewer` may see. */
export function sendState(res: ServerResponse, ctx: MasterContext, viewer: Viewer, head: boolean): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  if (head) {
    res.end();
    return;
  }
  // The first chunk (and the document's lists) is made now, before any await.
  pump(res, stateChunks(ctx, viewer)).catch(() => res.destroy());
}
