// One host of a NetworkHosts run: a network namespace wired to the run's
// bridge by a veth pair.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { run, runOrThrow, type CommandResult } from './command.js';
import type { MemberHost } from './member-host.js';

/** A "machine" of its own: a network namespace with one address on the run's bridge. */
export class NetworkHost implements MemberHost {
  /** `['ip', 'netns', 'exec', netns]`: what {@link spawnArgs} prepends. */
  readonly wrap: readonly string[];
  private down = false;

  /** @internal Made by {@link NetworkHosts.add}. */
  constructor(
    /** The name given to `add`. */
    readonly name: string,
    /** Its address, e.g. `10.213.17.2`. */
    readonly ip: string,
    /** Its namespace, `mc-<prefix>-<name>`. */
    readonly netns: string,
    /** The root-namespace end of its veth pair (the bridge port). */
    readonly veth: string,
  ) {
    this.wrap = ['ip', 'netns', 'exec', netns];
  }

  /** Whether the host is cut off (see {@link cut}). */
  get isCut(): boolean {
    return this.down;
  }

  /** `argv` prefixed so that it runs inside this host: pass to `spawn(args[0], args.slice(1))`. */
  spawnArgs(argv: readonly string[]): string[] {
    return [...this.wrap, ...argv];
  }

  /** Runs `argv` inside this host and resolves with its exit code and output (it never rejects). */
  exec(argv: readonly string[], timeoutMs = 30_000): Promise<CommandResult> {
    return run(this.spawnArgs(argv), timeoutMs);
  }

  /** Spawns `argv` inside this host (`ip netns exec` execs it: the child's pid is the command's). */
  spawn(argv: readonly string[], options: SpawnOptions = {}): ChildProcess {
    const [file = '', ...args] = this.spawnArgs(argv);
    return spawn(file, args, options);
  }

  /**
   * Partitions the host: its bridge port goes down, so nothing passes in
   * either direction. Open connections stall (no RST, no FIN) and new ones
   * time out, as behind a pulled cable.
   */
  async cut(): Promise<void> {
    await runOrThrow(['ip', 'link', 'set', this.veth, 'down'], `cutting host ${this.name}`);
    this.down = true;
  }

  /** Ends a {@link cut}: the bridge port comes up again. */
  async heal(): Promise<void> {
    await runOrThrow(['ip', 'link', 'set', this.veth, 'up'], `healing host ${this.name}`);
    this.down = false;
  }
}
