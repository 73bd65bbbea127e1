// What an isolation mechanism provides to the executors.
import type { TaskStatusReason } from '@mesocosm/protocol';
import type { CommandLine } from '../executors/command-line.js';

/** Limits of one container, from the task's resources. */
export interface ContainerLimits {
  /** Memory in MB; undefined = unlimited. */
  readonly memMb?: number;
  /** CPUs (fractional); undefined = no cpu control. */
  readonly cpus?: number;
}

/** Why a container was stopped by its isolation. */
export interface Limitation {
  readonly reason: TaskStatusReason;
  readonly message: string;
}

/** How a task's process ended. */
export interface Termination {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One task's isolation, from before spawn to after exit. */
export interface Container {
  /** The command line to spawn instead of `cmd` (e.g. entering a cgroup first). */
  wrap(cmd: CommandLine): CommandLine;
  /** Starts watching the spawned process (group `pid`); `onLimit` fires at most once. */
  watch(pid: number, onLimit: (limitation: Limitation) => void): void;
  /** After exit: whether the task hit a limit (e.g. killed by the OOM killer). */
  limitation(termination: Termination): Promise<Limitation | undefined>;
  /** Stops watching, kills what is left, removes the container's traces. */
  cleanup(): Promise<void>;
  /** Stops watching and leaves the processes and their container as they are (agent stopping). */
  release(): void;
}

/** An isolation mechanism. */
export interface Isolator {
  /** `cgroups-v1`, `cgroups-v2` or `posix`. */
  readonly name: string;
  /** Why this one was chosen (logged at start). */
  readonly reason: string;
  prepare(containerId: string, limits: ContainerLimits): Promise<Container>;
}

/** The message of a memory limitation, as frameworks see it. */
export function memoryLimitMessage(memMb: number, detail: string): string {
  return `Memory limit exceeded: the task exceeded its ${memMb} MB (${detail})`;
}
