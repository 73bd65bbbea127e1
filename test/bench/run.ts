// `npm run bench`: runs the scenarios one after the other, prints the machine
// and a table (scenario, figure, value, limit, ratio), and writes
// test/bench/results/latest.json. Every limit is measured in the same run, on
// the same machine. Benchmarks time things; the test suite never does.
import { parseBenchArgs, usage } from './cli-args.js';
import { describeMachine, machineInfo } from './machine.js';
import { writeResults } from './results.js';
import { toRows } from './rows.js';
import { SCENARIOS } from './scenarios/index.js';
import { renderTable } from './table.js';
import type { BenchContext, Figure } from './types.js';

async function main(): Promise<number> {
  const names = SCENARIOS.map((s) => s.name);
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2), names);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${usage(names)}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${usage(names)}\n`);
    return 0;
  }
  const machine = machineInfo();
  const startedAt = new Date();
  process.stdout.write(`machine: ${describeMachine(machine)}\n`);
  process.stdout.write(`mode: ${args.quick ? 'quick' : 'full'}\n\n`);

  const notes: string[] = [];
  const figures: Figure[] = [];
  let failed = false;
  for (const scenario of SCENARIOS.filter((s) => args.only.length === 0 || args.only.includes(s.name))) {
    const t0 = performance.now();
    const ctx: BenchContext = {
      quick: args.quick,
      // Each step with the seconds since the scenario began: where a long run spends its time.
      progress: (m) => process.stderr.write(`  [${((performance.now() - t0) / 1000).toFixed(1)} s] ${m}\n`),
      note: (m) => notes.push(`${scenario.name}: ${m}`),
    };
    process.stderr.write(`${scenario.name}: ${scenario.description}\n`);
    try {
      figures.push(...(await scenario.run(ctx)));
    } catch (err) {
      // One broken scenario must not hide the others' figures.
      failed = true;
      notes.push(`${scenario.name}: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    process.stderr.write(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }

  const rows = toRows(figures);
  process.stdout.write(`\n${renderTable(rows)}\n`);
  if (notes.length > 0) process.stdout.write(`\nnotes:\n${notes.map((n) => `  ${n}`).join('\n')}\n`);
  const path = await writeResults({
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    quick: args.quick,
    machine,
    rows,
    notes,
  });
  process.stdout.write(`\nresults: ${path}\n`);
  return failed ? 1 : 0;
}

// Exit at once when done: a handle left open by a scenario must not hang the run.
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
