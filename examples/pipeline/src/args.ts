// The example's flags, parsed with node:util's parseArgs.
import { parseArgs } from 'node:util';

/** Everything the example needs to run. */
export interface ExampleConfig {
  /** The master's gRPC address, host:port. */
  master: string;
  /** How many counting executors. */
  counters: number;
  /** A text file to count the words of; undefined: the built-in text. */
  input: string | undefined;
  /** Lines per chunk. */
  chunkLines: number;
  /** How many top words to print. */
  top: number;
  name: string;
  timeoutMs: number;
  resendMs: number;
}

/** Usage text for --help and errors. */
export const USAGE = `usage: mesocosm-example-pipeline --master HOST:PORT [--counters N] [--input FILE] [--chunk-lines N] [--top K] [--name NAME] [--timeout SECONDS]

A word count over framework messages: the input is split into chunks that fan
out to N counting executors; their counts fan in to one merging executor,
which reports the total and the most frequent words. Exits 0 when the
pipeline finished.

  --master       the master's gRPC address (default 127.0.0.1:5060)
  --counters     how many counting executors (default 3)
  --input        a text file to count (default: a built-in text)
  --chunk-lines  lines per chunk (default 2)
  --top          how many of the most frequent words to print (default 10)
  --name         framework name and task ID prefix (default pipeline)
  --timeout      seconds before giving up (default 120)
  --resend       seconds before an unanswered message is sent again (default 5)`;

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

function seconds(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number of seconds, got '${text}'`);
  return n * 1000;
}

/** Parses argv (without node and the script); `undefined` means --help was asked for. Throws on bad flags. */
export function parseExampleArgs(argv: readonly string[]): ExampleConfig | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      master: { type: 'string', default: '127.0.0.1:5060' },
      counters: { type: 'string', default: '3' },
      input: { type: 'string' },
      'chunk-lines': { type: 'string', default: '2' },
      top: { type: 'string', default: '10' },
      name: { type: 'string', default: 'pipeline' },
      timeout: { type: 'string', default: '120' },
      resend: { type: 'string', default: '5' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  if (!/^[^:\s]+:\d+$/.test(values.master)) {
    throw new Error(`--master must be the master's gRPC host:port, got '${values.master}'`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(values.name)) {
    throw new Error(`--name may hold letters, digits, '_', '.' and '-' only, got '${values.name}'`);
  }
  if (values.input !== undefined && values.input.trim() === '') throw new Error('--input needs a file name');
  return {
    master: values.master,
    counters: wholeNumber('counters', values.counters, 1, 100),
    input: values.input,
    chunkLines: wholeNumber('chunk-lines', values['chunk-lines'], 1, 10_000),
    top: wholeNumber('top', values.top, 1, 1000),
    name: values.name,
    timeoutMs: seconds('timeout', values.timeout),
    resendMs: seconds('resend', values.resend),
  };
}
