// Getting one source into a local file: http(s) with node's fetch (redirects
// followed, size bounded, aborted when nothing arrives for a while), or a
// copy of a local file. Writes `dest` only; the caller picks the name.
import { copyFile, open, stat } from 'node:fs/promises';
import type { Clock, TimerHandle } from '@mesocosm/protocol';
import type { FetchStep } from './fetch-plan.js';

/** Bounds of a download. */
export interface DownloadLimits {
  /** Larger sources fail. */
  readonly maxBytes: number;
  /** A download that receives nothing (headers or body) for this long fails. */
  readonly stallTimeoutMs: number;
  readonly clock: Clock;
}

/** A human size: `512 B`, `3.0 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) [v, i] = [v / 1024, i + 1];
  return `${v.toFixed(1)} ${units[i]}`;
}

function tooLarge(limits: DownloadLimits): Error {
  return new Error(`it is larger than the agent's limit of ${formatBytes(limits.maxBytes)} (fetcherMaxBytes)`);
}

/** Downloads `url` into `dest` (created or truncated). Throws an Error saying why it failed. */
export async function download(url: string, dest: string, limits: DownloadLimits): Promise<void> {
  const abort = new AbortController();
  let timer: TimerHandle | undefined;
  const arm = (): void => {
    if (timer) limits.clock.clearTimeout(timer);
    timer = limits.clock.setTimeout(() => abort.abort(), limits.stallTimeoutMs);
  };
  const stalled = (): Error => new Error(`nothing was received for ${limits.stallTimeoutMs / 1000} s`);
  arm();
  const out = await open(dest, 'w');
  try {
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'follow', signal: abort.signal });
    } catch (err) {
      throw abort.signal.aborted ? stalled() : new Error(describeFetchError(err));
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`the server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(length) && length > limits.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge(limits);
    }
    let received = 0;
    try {
      for await (const chunk of res.body ?? []) {
        arm();
        received += chunk.byteLength;
        if (received > limits.maxBytes) {
          abort.abort();
          throw tooLarge(limits);
        }
        await out.write(chunk);
      }
    } catch (err) {
      if (abort.signal.aborted && received <= limits.maxBytes) throw stalled();
      throw err;
    }
  } finally {
    if (timer) limits.clock.clearTimeout(timer);
    await out.close();
  }
}

/** Copies a local file into `dest`. */
export async function copyLocal(path: string, dest: string, limits: DownloadLimits): Promise<void> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error(`'${path}' is not a regular file`);
    size = s.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`'${path}' does not exist on this agent`);
    if (code === 'EACCES') throw new Error(`the agent may not read '${path}'`);
    throw err;
  }
  if (size > limits.maxBytes) throw tooLarge(limits);
  await copyFile(path, dest);
}

/** Gets one step's source into `dest`. */
export async function getSource(step: FetchStep, dest: string, limits: DownloadLimits): Promise<void> {
  if (step.source.kind === 'http') await download(step.source.url, dest, limits);
  else await copyLocal(step.source.path, dest, limits);
}

/** Words for a failed fetch() call: its cause (ECONNREFUSED, ENOTFOUND...) when it has one. */
function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return cause?.message ?? err.message;
}
