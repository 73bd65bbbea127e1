// The example's flags, parsed with node:util's parseArgs.
import { parseArgs } from 'node:util';
import { MAX_N } from './fibonacci.js';

/** Everything the example needs to run. */
export interface ExampleConfig {
  /** The master's gRPC address, host:port. */
  master: string;
  /** One task per number: fib(n). */
  inputs: number[];
  timeoutMs: number;
}

/** Usage text for --help and errors. */
export const USAGE = `usage: mesocosm-example-custom-executor --master HOST:PORT [--n 10,50,90] [--timeout SECONDS]

Launches one task per number onto ONE custom executor (a single process,
started by the agent, runs them all); each task computes a Fibonacci number
and reports it in its TASK_FINISHED update. Exits 0 when every task finished.

  --master   the master's gRPC address (default 127.0.0.1:5060)
  --n        comma-separated numbers, 0 to ${MAX_N}, one task each (default 10,50,90)
  --timeout  seconds before giving up (default 60)`;

/** Parses argv (without node and the script); `undefined` means --help was asked for. Throws on bad flags. */
export function parseExampleArgs(argv: readonly string[]): ExampleConfig | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      master: { type: 'string', default: '127.0.0.1:5060' },
      n: { type: 'string', default: '10,50,90' },
      timeout: { type: 'string', default: '60' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  if (!/^[^:\s]+:\d+$/.test(values.master)) {
    throw new Error(`--master must be the master's gRPC host:port, got '${values.master}'`);
  }
  const parts = values.n.split(',');
  const inputs = parts.map((p) => Number(p.trim()));
  if (parts.some((p) => p.trim() === '') || inputs.some((n) => !Number.isInteger(n) || n < 0 || n > MAX_N)) {
    throw new Error(`--n must be a comma-separated list of whole numbers from 0 to ${MAX_N}, got '${values.n}'`);
  }
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new Error(`--timeout must be a positive number of seconds, got '${values.timeout}'`);
  }
  return { master: values.master, inputs, timeoutMs: timeout * 1000 };
}
