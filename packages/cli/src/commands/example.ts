// Runs an example framework (examples/<name>) as a child process against a
// master: `mesocosm local` runs batch-shell once; `mesocosm example <name>`
// runs any of them against the cluster `mesocosm local` serves (or --master).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseHostPort } from '../flags.js';
import { arg, pick, type Raw } from '../option-args.js';

/** The examples, by name (examples/<name>, package @mesocosm/example-<name>). */
export const EXAMPLES = ['batch-shell', 'custom-executor', 'pi', 'pipeline', 'placement'] as const;

/** A name of {@link EXAMPLES}. */
export type ExampleName = (typeof EXAMPLES)[number];

/** What `mesocosm example` runs when no name is given. */
export const DEFAULT_EXAMPLE: ExampleName = 'batch-shell';

/** An example's entry point: installed package first, else its place in this repository. */
export function exampleMainPath(name: ExampleName = DEFAULT_EXAMPLE): string {
  try {
    const main = fileURLToPath(import.meta.resolve(`@mesocosm/example-${name}`));
    if (existsSync(main)) return main;
  } catch {
    // not installed: fall back to the monorepo layout
  }
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', '..', '..', '..', 'examples', name, 'lib', 'src', 'main.js');
}

/** A running example: its exit status, and a way to stop it early. */
export interface ExampleRun {
  readonly exited: Promise<number>;
  kill(): void;
}

/**
 * Starts example `name` with `--master masterGrpc` and `args`; its stdout
 * lines go to `out` (or straight to ours when `out` is undefined), its stderr
 * to ours.
 */
export function startExampleNamed(
  name: ExampleName,
  masterGrpc: string,
  args: readonly string[],
  out?: (line: string) => void,
  /** More environment, e.g. MESOCOSM_TLS_CA for a TLS master (the SDK reads it). */
  env: Readonly<Record<string, string>> = {},
): ExampleRun {
  const child = spawn(process.execPath, [exampleMainPath(name), '--master', masterGrpc, ...args], {
    stdio: ['ignore', out ? 'pipe' : 'inherit', 'inherit'],
    env: { ...process.env, MESOCOSM_LOG: process.env['MESOCOSM_LOG'] ?? 'warn', ...env },
  });
  if (out && child.stdout) createInterface({ input: child.stdout }).on('line', out);
  const exited = new Promise<number>((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`could not run the example: ${err.message}\n`);
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  return { exited, kill: () => void child.kill('SIGTERM') };
}

/** Starts the batch-shell example with `tasks` tasks (what `mesocosm local` runs); `caFile` for a TLS master. */
export function startExample(
  masterGrpc: string,
  tasks: number,
  out: (line: string) => void,
  caFile?: string,
): ExampleRun {
  const env: Record<string, string> = caFile === undefined ? {} : { MESOCOSM_TLS_CA: caFile };
  return startExampleNamed('batch-shell', masterGrpc, ['--tasks', String(tasks)], out, env);
}

/** Flags of `mesocosm example`, typed. */
export interface ExampleFlags {
  name: ExampleName;
  /** The master's gRPC address (default `mesocosm local`'s, 127.0.0.1:5060). */
  master: string;
  /** The example's own flags. */
  args: string[];
}

function parseExampleName(text: string): ExampleName {
  const name = EXAMPLES.find((e) => e === text);
  if (!name) throw new UsageError('example', `unknown example '${text}': one of ${EXAMPLES.join(', ')}`);
  return name;
}

/** Adds `mesocosm example [name] [flags of the example...]`. */
export function addExampleCommand(program: Command, handler: (flags: ExampleFlags) => Promise<void>): void {
  program
    .command('example')
    .description(
      `run an example framework against a master (default: the one \`mesocosm local\` serves); ` +
        `its own flags follow its name, e.g. \`mesocosm example pi --tasks 8\` (\`-- --help\` for its help)`,
    )
    .argument('[name]', `${EXAMPLES.join(', ')}`, DEFAULT_EXAMPLE)
    .argument('[flags...]', "the example's own flags")
    .option('--master <host:port>', "the master's gRPC address", arg(parseHostPort), '127.0.0.1:5060')
    .allowUnknownOption()
    .action(async (first: string, rest: string[], raw: Raw) => {
      // No name, only the example's flags (`mesocosm example --tasks 8`): the default example.
      const [name, args] = first.startsWith('-') ? [DEFAULT_EXAMPLE, [first, ...rest]] : [first, rest];
      await handler({ name: parseExampleName(name), master: pick<string>(raw, 'master') ?? '127.0.0.1:5060', args });
    });
}

/**
 * Runs `mesocosm example`: the example's output is ours; its exit status
 * becomes ours (2 for the flags it refused, 1 for any other failure).
 */
export async function runExampleCommand(flags: ExampleFlags): Promise<void> {
  const code = await startExampleNamed(flags.name, flags.master, flags.args).exited;
  if (code === 2) throw new UsageError(flags.name, 'the example refused its flags (see above)');
  if (code !== 0) throw new Error(`example ${flags.name} exited with status ${code}`);
}
