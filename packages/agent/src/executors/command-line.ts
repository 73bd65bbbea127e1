// From a CommandInfo to the program and argv to spawn. Pure.
import type { ICommandInfo } from '@mesocosm/protocol';

/** A program to spawn. */
export interface CommandLine {
  readonly file: string;
  readonly args: readonly string[];
  /** argv[0] when it differs from `file`. */
  readonly argv0?: string;
}

/**
 * Shell form (`shell` set, or no `arguments`): `/bin/sh -c value`.
 * Argv form: `value` is the program, `arguments` its argv with argv[0] first, as in Mesos.
 */
export function commandLine(command: ICommandInfo): CommandLine {
  const value = command.value ?? '';
  const argv = command.arguments ?? [];
  if (command.shell || argv.length === 0) return { file: '/bin/sh', args: ['-c', value] };
  return { file: value, args: argv.slice(1), argv0: argv[0] ?? value };
}
