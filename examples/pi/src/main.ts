#!/usr/bin/env node
// pi: an example framework written only against @mesocosm/framework-sdk.
// Estimates pi with N Monte Carlo tasks placed by the SDK's high-level
// Scheduler, each on a tiny custom executor (executor.js) that reports its
// count in its TASK_FINISHED update; prints the combined estimate on stdout
// (logs on stderr) and exits 0 when every task finished, 1 when not, 2 on
// bad flags.
//
//   mesocosm-example-pi --master 127.0.0.1:5060 [--tasks 4] [--samples 1000000] [--seed 1]
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver } from '@mesocosm/framework-sdk';
import { parseExampleArgs, USAGE, type ExampleConfig } from './args.js';
import { PiJob } from './job.js';
import { runPi } from './run.js';
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
const driver = new SchedulerDriver({
  master: c.master,
  framework: { name: c.name, user: userInfo().username, roles: ['*'] },
});
const outcome = await runPi(driver, new PiJob(c), {
  executorPath: fileURLToPath(new URL('./executor.js', import.meta.url)),
  timeoutMs: c.timeoutMs,
});
for (const line of formatSummary(outcome.results, outcome.estimate)) process.stdout.write(`${line}\n`);
if (outcome.timedOut) process.stderr.write(`gave up after ${c.timeoutMs / 1000} s\n`);
process.exit(outcome.succeeded ? 0 : 1);
