// The bench's command line: `node test/lib/bench/run.js [--quick] [--only <name>]`.
import { parseArgs } from 'node:util';

/** Parsed command line. */
export interface BenchArgs {
  quick: boolean;
  /** Scenario names to run (all when empty). */
  only: string[];
  help: boolean;
}

/** The usage text. */
export function usage(names: readonly string[]): string {
  return [
    'usage: npm run bench -- [--quick] [--only <name>]...',
    '  --quick        fewer samples (the whole run stays under two minutes)',
    `  --only <name>  run only this scenario (repeatable): ${names.join(', ')}`,
    '  --help         this text',
    'Prints a table and writes test/bench/results/latest.json.',
  ].join('\n');
}

/** Parses `argv`; throws a TypeError naming the bad option or scenario. */
export function parseBenchArgs(argv: readonly string[], names: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const only = (values.only ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0)
    throw new TypeError(`unknown scenario '${unknown.join("', '")}' for --only: choose among ${names.join(', ')}`);
  return { quick: values.quick ?? false, only, help: values.help ?? false };
}
