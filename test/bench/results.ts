// test/bench/results/latest.json: the last run's rows, notes and machine.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import type { MachineInfo } from './machine.js';
import type { ResultRow } from './types.js';

/** What a run writes. */
export interface RunResults {
  startedAt: string;
  durationSeconds: number;
  quick: boolean;
  machine: MachineInfo;
  rows: ResultRow[];
  notes: string[];
}

/** Where the last run's results go (gitignored). */
export const RESULTS_FILE = join(repoRoot, 'test', 'bench', 'results', 'latest.json');

/** Writes `results` to {@link RESULTS_FILE}; returns its path. */
export async function writeResults(results: RunResults): Promise<string> {
  await mkdir(join(RESULTS_FILE, '..'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  return RESULTS_FILE;
}
