// What the operator verbs need from the outside world, in one object, so that
// tests run them through runCli with captured output and without a terminal.
import { createInterface } from 'node:readline/promises';
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { OperatorAuthFlags } from './operator-auth.js';
import type { TlsFlags } from './tls-flags.js';

/** The operator verbs' edge: output, terminal, environment, time, Ctrl-C. */
export interface OperatorIo {
  /** stdout: tables, JSON, log data. */
  out(text: string): void;
  /** stderr: progress, notes. */
  err(text: string): void;
  /** stderr is a terminal: progress redraws one line in place (else plain lines). */
  readonly errIsTty: boolean;
  /** stdin is a terminal: `teardown` may ask before it acts. */
  readonly stdinIsTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Asks `question` on the terminal; true for y/yes. */
  confirm(question: string): Promise<boolean>;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** An AbortSignal that fires on SIGINT/SIGTERM until `dispose()`. */
  interrupts(): { signal: AbortSignal; dispose(): void };
  /** HTTP (the global fetch unless a test swaps it). */
  fetch: typeof fetch;
  /** The verb's `--tls-*` flags, set as it runs (else MESOCOSM_TLS_CA, _CERT, _KEY apply). */
  tls?: TlsFlags | undefined;
  /** The verb's `--principal` and `--secret-file`, set as it runs (else MESOCOSM_PRINCIPAL, ... apply). */
  auth?: OperatorAuthFlags | undefined;
}

/** Output hooks as commander takes them (runCli's third argument). */
export interface OutputHooks {
  writeOut?: (s: string) => void;
  writeErr?: (s: string) => void;
}

function processInterrupts(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const on = (signal: NodeJS.Signals): void => controller.abort(signal);
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * The process's own I/O; `output` (as given to runCli) redirects stdout and
 * stderr, and then neither counts as a terminal.
 */
export function processIo(output: OutputHooks = {}, overrides: Partial<OperatorIo> = {}): OperatorIo {
  const captured = output.writeOut !== undefined || output.writeErr !== undefined;
  return {
    out: output.writeOut ?? ((s) => void process.stdout.write(s)),
    err: output.writeErr ?? ((s) => void process.stderr.write(s)),
    errIsTty: !captured && process.stderr.isTTY === true,
    stdinIsTty: !captured && process.stdin.isTTY === true,
    env: process.env,
    confirm: askOnTerminal,
    now: () => Date.now(),
    sleep: async (ms, signal) => {
      await sleepMs(ms, undefined, signal ? { signal } : {});
    },
    interrupts: processInterrupts,
    fetch: (input, init) => fetch(input, init),
    ...overrides,
  };
}
