#!/usr/bin/env node
// placement: an example framework written only against @mesocosm/framework-sdk.
// Places N web servers through the SDK's high-level Scheduler with Marathon
// constraints and a host port each, checks that each answers over HTTP on
// its port, prints where they landed on stdout (logs on stderr), then tears
// down. Exits 0 when every instance answered, 1 when not, 2 on bad flags.
//
//   mesocosm-example-placement --master 127.0.0.1:5060 [--instances 2] [--constraint hostname:UNIQUE]...
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver } from '@mesocosm/framework-sdk';
import { parseExampleArgs, USAGE, type ExampleConfig } from './args.js';
import { InstanceBook } from './instances.js';
import { runPlacement } from './run.js';
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
const book = new InstanceBook(c);
const outcome = await runPlacement(driver, book, {
  serverPath: fileURLToPath(new URL('./server.js', import.meta.url)),
  timeoutMs: c.timeoutMs,
});
for (const line of formatSummary(outcome.instances, book.constraintsText(), outcome.rejections))
  process.stdout.write(`${line}\n`);
if (outcome.failure) process.stderr.write(`placement failed: ${outcome.failure}\n`);
if (outcome.timedOut) process.stderr.write(`gave up after ${c.timeoutMs / 1000} s\n`);
process.exit(outcome.succeeded ? 0 : 1);
