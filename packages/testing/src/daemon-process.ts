// A daemon run as a child process: started, awaited until its `ready` line,
// killed with any signal. Every live child is SIGKILLed when this process
// exits, so a failing test leaves no strays.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LocalClusterError } from './errors.js';
import { parseReadyLine, type ReadyLine } from './ready-line.js';

/** How a child process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link DaemonProcess.start}. */
export interface DaemonProcessOptions {
  /** A name for errors, e.g. `agent 2`. */
  name: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long to wait for the ready line (default 20 000 ms). */
  readyTimeoutMs?: number;
  /** Receives each stderr line (default: kept in a tail buffer only). */
  onStderr?: (line: string) => void;
  /**
   * Prepended to the command line, e.g. `['ip', 'netns', 'exec', ns]` (a
   * `NetworkHost`'s `wrap`) to run the daemon inside a network host.
   * The prefix must exec the command, so that signals reach the daemon itself.
   */
  wrap?: readonly string[];
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

const STDERR_TAIL = 40;

/** A daemon child process that announced itself with a `ready` line. */
export class DaemonProcess {
  /** Every stdout line after the ready line. */
  readonly stdoutLines: string[] = [];
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  private readonly stderrTail: string[] = [];
  private exitInfo: ExitInfo | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    /** The parsed ready line; set once started. */
    public ready: ReadyLine = { event: 'ready', component: '', http: '' },
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  /** Spawns `command args` and resolves once it printed its ready line. */
  static async start(command: string, args: readonly string[], options: DaemonProcessOptions): Promise<DaemonProcess> {
    const [file = command, ...prefix] = options.wrap ?? [];
    const argv = options.wrap && options.wrap.length > 0 ? [...prefix, command, ...args] : args;
    const child = spawn(file, argv, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const proc = new DaemonProcess(options.name, child);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      proc.stderrTail.push(line);
      if (proc.stderrTail.length > STDERR_TAIL) proc.stderrTail.shift();
      options.onStderr?.(line);
    });
    const stdout = createInterface({ input: child.stdout! });
    const timeoutMs = options.readyTimeoutMs ?? 20_000;
    try {
      proc.ready = await new Promise<ReadyLine>((resolve, reject) => {
        const timer = setTimeout(() => reject(proc.failure(`printed no ready line within ${timeoutMs} ms`)), timeoutMs);
        child.once('error', (err) => reject(proc.failure(`could not start: ${err.message}`, err)));
        void proc.exited.then((e) => reject(proc.failure(`exited (${e.signal ?? `code ${e.code}`}) before ready`)));
        stdout.on('line', (line) => {
          const ready = parseReadyLine(line);
          if (ready && proc.ready.component === '') {
            proc.ready = ready;
            clearTimeout(timer);
            resolve(ready);
          } else {
            proc.stdoutLines.push(line);
          }
        });
      });
    } catch (err) {
      child.kill('SIGKILL');
      await proc.exited;
      throw err;
    }
    return proc;
  }

  /** The process ID. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last stderr lines (for error messages). */
  stderr(): string {
    return this.stderrTail.join('\n');
  }

  /**
   * Sends `signal` and waits for the exit; after `graceMs` (default 10 s) a
   * process that ignores it gets SIGKILL.
   */
  async kill(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }

  private failure(what: string, cause?: unknown): LocalClusterError {
    const tail = this.stderr();
    return new LocalClusterError(`${this.name} ${what}${tail ? `; its stderr ends with:\n${tail}` : ''}`, { cause });
  }
}
