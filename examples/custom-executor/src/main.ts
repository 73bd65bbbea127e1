#!/usr/bin/env node
// custom-executor: an example framework written only against
// @mesocosm/framework-sdk. It launches several tasks (three by default) onto
// ONE custom executor (executor.js, started by the agent), each computing a
// Fibonacci number, prints the results on stdout and exits 0 when all
// FINISHED, 1 when not, 2 on bad flags.
//
//   mesocosm-example-custom-executor --master 127.0.0.1:5060 [--n 10,50,90]
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver } from '@mesocosm/framework-sdk';
import { parseExampleArgs, USAGE, type ExampleConfig } from './args.js';
import { runExample } from './run.js';

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
  framework: { name: 'custom-executor-example', user: userInfo().username, roles: ['*'] },
});
const outcome = await runExample(driver, {
  inputs: c.inputs,
  executorPath: fileURLToPath(new URL('./executor.js', import.meta.url)),
  timeoutMs: c.timeoutMs,
});
for (const r of outcome.results) process.stdout.write(`${r.taskId} ${r.state} ${r.result}\n`);
if (outcome.timedOut) process.stderr.write(`gave up after ${c.timeoutMs / 1000} s\n`);
process.exit(outcome.succeeded ? 0 : 1);
