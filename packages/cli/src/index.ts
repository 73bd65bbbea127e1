/**
 * The `mesocosm` command line (bin: `lib/src/main.js`) and its pure pieces:
 * Mesos-style duration and flag parsers, and the program itself, which can be
 * run over an argv with stub handlers.
 *
 * @example
 * ```ts
 * import { parseDuration, runCli } from '@mesocosm/cli';
 * parseDuration('30secs'); // 30000
 * const noop = async (): Promise<void> => {};
 * const code = await runCli(['marathon', '--master', '127.0.0.1:5060'], { master: noop, agent: noop, local: noop, marathon: noop, chronos: noop });
 * ```
 *
 * @module
 */
export { parseDuration, formatDuration, DURATION_UNITS } from './duration.js';
export {
  parsePort,
  parseCount,
  parseHostPort,
  parseMasterAddress,
  parseIp,
  parseWeights,
  parseBoolean,
  parseIsolation,
  parseRecover,
  parseDurationOr,
  parseZkHosts,
  parsePositive,
  parseResourcesFlag,
  parseAttributesFlag,
  type Isolation,
} from './flags.js';
export { buildProgram, type CommandHandlers, type MasterFlags, type AgentFlags, type LocalFlags } from './program.js';
export { type LocalTls, type LocalTlsFiles } from './commands/local-tls.js';
export {
  addMarathonCommand,
  addChronosCommand,
  type FrameworkFlags,
  type MarathonFlags,
  type ChronosFlags,
} from './framework-commands.js';
export { runCli } from './run-cli.js';
export { formatReadyLine, type ReadyInfo } from './ready-line.js';
export { UsageError, USAGE_EXIT_CODE } from './errors.js';
