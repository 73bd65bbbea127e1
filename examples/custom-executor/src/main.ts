#!/usr/bin/env node
// custom-executor: an example framework written only against
// @mesocosm/framework-sdk. It launches three tasks onto ONE custom executor
// (executor.js, started by the agent), each computing a Fibonacci number,
// prints the results on stdout and exits 0 when all three FINISHED.
//
//   mesocosm-example-custom-executor --master 127.0.0.1:5060 [--n 10,50,90]
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SchedulerDriver } from '@mesocosm/framework-sdk';
import { runExample } from './run.js';

const USAGE = 'usage: mesocosm-example-custom-executor --master HOST:PORT [--n 10,50,90] [--timeout SECONDS]';

const { values } = parseArgs({
  options: {
    master: { type: 'string' },
    n: { type: 'string', default: '10,50,90' },
    timeout: { type: 'string', default: '60' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || !values.master) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}
const inputs = values.n.split(',').map(Number);
if (inputs.some((n) => !Number.isInteger(n) || n < 0)) {
  process.stderr.write(`error: --n must be a comma-separated list of non-negative integers\n${USAGE}\n`);
  process.exit(2);
}
const driver = new SchedulerDriver({
  master: values.master,
  framework: { name: 'custom-executor-example', user: userInfo().username, roles: ['*'] },
});
const outcome = await runExample(driver, {
  inputs,
  executorPath: fileURLToPath(new URL('./executor.js', import.meta.url)),
  timeoutMs: Number(values.timeout) * 1000,
});
for (const r of outcome.results) process.stdout.write(`${r.taskId} ${r.state} ${r.result}\n`);
process.exit(outcome.succeeded ? 0 : 1);
