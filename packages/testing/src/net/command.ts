// Running iproute2 and friends: async for setup, synchronous for the cleanup
// that must also work inside a process 'exit' handler.
import { execFile, execFileSync } from 'node:child_process';
import { NetworkHostsError } from './errors.js';

/** What a finished command printed and how it ended. */
export interface CommandResult {
  /** Exit code (-1 when it could not be started). */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `argv` and resolves with its outcome; never rejects. */
export function run(argv: readonly string[], timeoutMs = 30_000): Promise<CommandResult> {
  const [file = '', ...args] = argv;
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr });
      const code = typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr: stderr || err.message });
    });
  });
}

/** Runs `argv` and resolves with its stdout; rejects with {@link NetworkHostsError} on failure. */
export async function runOrThrow(argv: readonly string[], what: string): Promise<string> {
  const r = await run(argv);
  if (r.code !== 0) throw commandError(argv, what, r);
  return r.stdout;
}

/** Runs `argv` synchronously; never throws. */
export function runSync(argv: readonly string[]): CommandResult {
  const [file = '', ...args] = argv;
  try {
    const stdout = execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status?: number | null; stdout?: string; stderr?: string; message?: string };
    return { code: e.status ?? -1, stdout: e.stdout ?? '', stderr: e.stderr || (e.message ?? '') };
  }
}

/** The error for a failed command, naming it and quoting its stderr. */
export function commandError(argv: readonly string[], what: string, r: CommandResult): NetworkHostsError {
  return new NetworkHostsError(
    `${what}: \`${argv.join(' ')}\` exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`,
  );
}
