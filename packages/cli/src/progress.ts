// Progress of long waits (`drain --wait`, `tasks --wait`): on a terminal, one
// line on stderr redrawn in place with the time spent; otherwise a plain line
// each time the status changes, so that logs and CI output stay readable.
import { formatDuration } from './duration.js';
import {
  InterruptedError,
  MasterUnreachableError,
  WaitTimeoutError,
  type MasterResponseError,
} from './operator-errors.js';
import type { OperatorIo } from './operator-io.js';

/** `4s`, `1m05s`, `2h00m`: time spent, for progress lines. Pure. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const CLEAR_LINE = '\r\x1b[2K';

/** A status line on stderr. */
export class Progress {
  private last: string | undefined;
  private drawn = false;
  private readonly start: number;

  constructor(private readonly io: Pick<OperatorIo, 'err' | 'errIsTty' | 'now'>) {
    this.start = io.now();
  }

  private elapsed(): string {
    return formatElapsed(this.io.now() - this.start);
  }

  /** Shows `status`: redrawn in place on a terminal, else printed when it differs from the last one. */
  update(status: string): void {
    if (this.io.errIsTty) {
      this.io.err(`${CLEAR_LINE}${status} (${this.elapsed()})`);
      this.drawn = true;
    } else if (status !== this.last) {
      this.io.err(`[${this.elapsed()}] ${status}\n`);
    }
    this.last = status;
  }

  /** Ends the display with a final line. */
  finish(status: string): void {
    if (this.io.errIsTty) this.io.err(`${CLEAR_LINE}${status} (${this.elapsed()})\n`);
    else this.io.err(`[${this.elapsed()}] ${status}\n`);
    this.drawn = false;
    this.last = undefined;
  }

  /** Leaves the terminal line clean (after an error or Ctrl-C). */
  clear(): void {
    if (this.io.errIsTty && this.drawn) this.io.err(`${CLEAR_LINE}`);
    this.drawn = false;
  }
}

/** One look of a {@link pollUntil}. */
export type PollResult<T> = { done: true; value: T } | { done: false; status: string };

/** Options of {@link pollUntil}. */
export interface PollOptions<T> {
  io: Pick<OperatorIo, 'err' | 'errIsTty' | 'now' | 'sleep'>;
  /** Ctrl-C: the wait ends with an InterruptedError. */
  signal: AbortSignal;
  intervalMs: number;
  timeoutMs: number;
  /** What is awaited, for the timeout message, e.g. `agent a1 to be DRAINED`. */
  what: string;
  check(): Promise<PollResult<T>>;
}

function transient(err: unknown): boolean {
  if (err instanceof MasterUnreachableError) return true;
  const status = (err as Partial<MasterResponseError>).status;
  return status === 503 || status === 504;
}

/**
 * Runs `check` every `intervalMs` until it is done, showing its status.
 * A master that cannot be reached or has no leader for a moment (a failover)
 * is shown and retried; other errors end the wait.
 * @throws WaitTimeoutError after `timeoutMs`; InterruptedError on Ctrl-C.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const { io, signal } = options;
  const progress = new Progress(io);
  const deadline = io.now() + options.timeoutMs;
  let status = 'starting';
  try {
    for (;;) {
      if (signal.aborted) throw new InterruptedError(String(signal.reason));
      try {
        const r = await options.check();
        if (r.done) {
          progress.clear();
          return r.value;
        }
        status = r.status;
      } catch (err) {
        if (err instanceof InterruptedError || !transient(err)) throw err;
        status =
          err instanceof MasterUnreachableError
            ? `the master at ${err.url} does not answer; retrying`
            : 'no leading master yet (failover?); retrying';
      }
      progress.update(status);
      if (io.now() >= deadline) {
        throw new WaitTimeoutError(
          `gave up after ${formatDuration(options.timeoutMs)} waiting for ${options.what} (last: ${status}); ` +
            'wait longer with --timeout',
        );
      }
      try {
        await io.sleep(Math.min(options.intervalMs, Math.max(0, deadline - io.now())), signal);
      } catch {
        throw new InterruptedError(String(signal.reason));
      }
    }
  } catch (err) {
    progress.clear();
    throw err;
  }
}
