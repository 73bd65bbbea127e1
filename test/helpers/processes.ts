// Real processes for tests, tracked so that an `after` hook (stopAllProcesses)
// and, failing that, this process's exit kill every one of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How a process ended and what it printed. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running process whose output a test can wait on. */
export interface RunningProcess {
  readonly pid: number | undefined;
  /** stdout lines so far. */
  readonly lines: readonly string[];
  /** stderr so far. */
  stderr(): string;
  /** Resolves with the first stdout line (past or future) matching `re`. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process exits. */
  readonly exited: Promise<ProcessResult>;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<ProcessResult>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** Options of {@link startProcess} and {@link runProcess}. */
export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts `command args`, tracked until it exits. */
export function startProcess(command: string, args: readonly string[], options: ProcessOptions = {}): RunningProcess {
  const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: 'pipe' });
  child.stdin.end();
  live.add(child);
  const lines: string[] = [];
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<ProcessResult>((resolve) => {
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  return {
    pid: child.pid,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(re, timeoutMs = 20_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const fail = (why: string): void =>
          reject(
            new Error(`no stdout line matching ${re} (${why}); stdout:\n${stdout}\nstderr:\n${stderr.slice(-2000)}`),
          );
        const timer = setTimeout(() => fail(`waited ${timeoutMs} ms`), timeoutMs);
        waiters.push({
          re,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          fail('the process exited');
        });
      });
    },
    async kill(signal = 'SIGTERM') {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `command args` to completion (killed after `timeoutMs`, default 60 s). */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions & { timeoutMs?: number } = {},
): Promise<ProcessResult> {
  const proc = startProcess(command, args, options);
  const timer = setTimeout(() => void proc.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const result = await proc.exited;
  clearTimeout(timer);
  return result;
}

/** Kills every process started here that is still running (SIGKILL) and waits for them. */
export async function stopAllProcesses(): Promise<void> {
  const children = [...live];
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('close', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}
