// Runs the program over argv and turns every outcome into an exit status:
// 0 done (or --help), 2 bad usage, 1 anything else.
import { CommanderError, type OutputConfiguration } from 'commander';
import { MesocosmError } from '@mesocosm/protocol';
import { USAGE_EXIT_CODE, UsageError } from './errors.js';
import { INTERRUPTED_EXIT_CODE, InterruptedError } from './operator-errors.js';
import { processIo, type OperatorIo } from './operator-io.js';
import { buildProgram, type CommandHandlers } from './program.js';

/**
 * Parses `argv` (the user's arguments, without node and the script) and runs
 * the chosen command to its end. Never throws: returns the exit status.
 * `output` captures what commands print; `io` replaces parts of the operator
 * verbs' edge (environment, terminal, fetch) in tests.
 */
export async function runCli(
  argv: readonly string[],
  handlers: CommandHandlers,
  output: OutputConfiguration = {},
  io: Partial<OperatorIo> = {},
): Promise<number> {
  const writeErr = output.writeErr ?? ((s: string) => process.stderr.write(s));
  const program = buildProgram(handlers, { ...output, writeErr }, processIo(output, io));
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return USAGE_EXIT_CODE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message already; help and version are not errors.
      return err.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    }
    if (err instanceof InterruptedError) {
      writeErr(`${err.message}\n`);
      return INTERRUPTED_EXIT_CODE;
    }
    if (err instanceof UsageError) {
      writeErr(`error: ${err.message}\n`);
      return USAGE_EXIT_CODE;
    }
    if (err instanceof MesocosmError && (err.code === 'INVALID_ARGUMENT' || err.code === 'INVALID_RESOURCE')) {
      // Options the component itself refused (e.g. Master.start validation).
      writeErr(`error: ${err.message}\n`);
      return USAGE_EXIT_CODE;
    }
    const e = err instanceof Error ? (err as NodeJS.ErrnoException) : undefined;
    const inUse = e?.code === 'EADDRINUSE' || /EADDRINUSE/.test(e?.message ?? '');
    const hint = inUse ? ' (another process holds the port: pick others with the port flags, see --help)' : '';
    const detail = process.env['MESOCOSM_LOG'] === 'debug' ? (e?.stack ?? '') : '';
    writeErr(`error: ${e ? e.message : String(err)}${hint}\n${detail ? `${detail}\n` : ''}`);
    return 1;
  }
}
