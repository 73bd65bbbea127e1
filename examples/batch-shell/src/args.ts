// The example's flags, parsed with node:util's parseArgs.
import { parseArgs } from 'node:util';
import type { BatchConfig } from './batch.js';

/** Everything the example needs to run. */
export interface ExampleConfig extends BatchConfig {
  /** The master's gRPC address, host:port. */
  master: string;
  /** Give up (exit 1) when the batch is not over after this long. */
  timeoutMs: number;
}

/** Usage text for --help and errors. */
export const USAGE = `usage: batch-shell --master HOST:PORT [--tasks N] [--cmd CMD] [--cpus C] [--mem MB] [--name NAME] [--timeout SECONDS]

Runs N shell tasks across the agents, waits for all of them, prints a summary.
Exits 0 only when every task FINISHED.

  --master    the master's gRPC address (default 127.0.0.1:5060)
  --tasks     how many tasks (default 4)
  --cmd       shell command of each task (default 'echo hello from $MESOS_TASK_ID')
  --cpus      cpus per task (default 0.1)
  --mem       MB of memory per task (default 32)
  --name      framework name and task ID prefix (default batch-shell)
  --timeout   seconds before giving up (default 120)`;

function positive(flag: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${flag} must be a positive ${integer ? 'whole ' : ''}number, got '${text}'`);
  }
  return n;
}

/** Parses argv (without node and the script); `undefined` means --help was asked for. */
export function parseExampleArgs(argv: readonly string[]): ExampleConfig | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      master: { type: 'string', default: '127.0.0.1:5060' },
      tasks: { type: 'string', default: '4' },
      cmd: { type: 'string', default: 'echo hello from $MESOS_TASK_ID' },
      cpus: { type: 'string', default: '0.1' },
      mem: { type: 'string', default: '32' },
      name: { type: 'string', default: 'batch-shell' },
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
  return {
    master: values.master,
    tasks: positive('tasks', values.tasks, true),
    cmd: values.cmd,
    cpus: positive('cpus', values.cpus, false),
    mem: positive('mem', values.mem, false),
    name: values.name,
    timeoutMs: positive('timeout', values.timeout, false) * 1000,
  };
}
