#!/usr/bin/env node
// batch-shell: an example framework written only against @mesocosm/framework-sdk.
// Runs N shell tasks across the agents, waits for all, prints a summary on
// stdout (logs on stderr) and exits 0 only when every task FINISHED.
import { userInfo } from 'node:os';
import { SchedulerDriver } from '@mesocosm/framework-sdk';
import { parseExampleArgs, USAGE, type ExampleConfig } from './args.js';
import { Batch } from './batch.js';
import { runBatch } from './run.js';
import { formatSummary } from './summary.js';

function config(): ExampleConfig {
  try {
    const c = parseExampleArgs(process.argv.slice(2));
    if (c) return c;
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const c = config();
const started = Date.now();
const driver = new SchedulerDriver({
  master: c.master,
  framework: { name: c.name, user: userInfo().username, roles: ['*'] },
});
const batch = new Batch(c);
const outcome = await runBatch(driver, batch, c.timeoutMs);
for (const line of formatSummary(c.name, outcome.results, Date.now() - started)) process.stdout.write(`${line}\n`);
if (outcome.timedOut) process.stderr.write(`gave up after ${c.timeoutMs / 1000} s\n`);
process.exit(outcome.succeeded ? 0 : 1);
