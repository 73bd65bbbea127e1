// Runs the batch-shell example framework as a child process against a master.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The example's entry point: installed package first, else its place in this repository. */
export function exampleMainPath(): string {
  try {
    const main = fileURLToPath(import.meta.resolve('@mesocosm/example-batch-shell'));
    if (existsSync(main)) return main;
  } catch {
    // not installed: fall back to the monorepo layout
  }
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', '..', '..', '..', 'examples', 'batch-shell', 'lib', 'src', 'main.js');
}

/** A running example: its exit status, and a way to stop it early. */
export interface ExampleRun {
  readonly exited: Promise<number>;
  kill(): void;
}

/** Starts the example; its stdout lines go to `out`, its stderr to ours. */
export function startExample(masterGrpc: string, tasks: number, out: (line: string) => void): ExampleRun {
  const child = spawn(process.execPath, [exampleMainPath(), '--master', masterGrpc, '--tasks', String(tasks)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MESOCOSM_LOG: process.env['MESOCOSM_LOG'] ?? 'warn' },
  });
  createInterface({ input: child.stdout }).on('line', out);
  const exited = new Promise<number>((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`could not run the example: ${err.message}\n`);
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  return { exited, kill: () => void child.kill('SIGTERM') };
}
