// The example's flags, parsed with node:util's parseArgs.
import { parseArgs } from 'node:util';
import type { PiConfig } from './job.js';
import { MAX_SAMPLES } from './monte-carlo.js';

/** Everything the example needs to run. */
export interface ExampleConfig extends PiConfig {
  /** The master's gRPC address, host:port. */
  master: string;
  /** Give up (exit 1) when the job is not over after this long. */
  timeoutMs: number;
}

/** Usage text for --help and errors. */
export const USAGE = `usage: mesocosm-example-pi --master HOST:PORT [--tasks N] [--samples N] [--seed S] [--name NAME] [--timeout SECONDS]

Estimates pi with N Monte Carlo tasks, each drawing --samples points from its
own seed (--seed, --seed + 1, ...) on a small custom executor; combines their
counts and prints the estimate. The same seeds always give the same estimate.
Exits 0 when every task finished.

  --master    the master's gRPC address (default 127.0.0.1:5060)
  --tasks     how many tasks (default 4)
  --samples   points per task (default 1000000, at most ${MAX_SAMPLES})
  --seed      seed of the first task, 0 to 4294967295 (default 1)
  --name      framework name and task ID prefix (default pi)
  --timeout   seconds before giving up (default 120)`;

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

/** Parses argv (without node and the script); `undefined` means --help was asked for. Throws on bad flags. */
export function parseExampleArgs(argv: readonly string[]): ExampleConfig | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      master: { type: 'string', default: '127.0.0.1:5060' },
      tasks: { type: 'string', default: '4' },
      samples: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      name: { type: 'string', default: 'pi' },
      timeout: { type: 'string', default: '120' },
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
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new Error(`--timeout must be a positive number of seconds, got '${values.timeout}'`);
  }
  return {
    master: values.master,
    tasks: wholeNumber('tasks', values.tasks, 1, 1000),
    samples: wholeNumber('samples', values.samples, 1, MAX_SAMPLES),
    seed: wholeNumber('seed', values.seed, 0, 0xffffffff),
    name: values.name,
    timeoutMs: timeout * 1000,
  };
}
