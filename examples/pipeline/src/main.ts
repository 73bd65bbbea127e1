#!/usr/bin/env node
// pipeline: an example framework written only against @mesocosm/framework-sdk,
// in the spirit of Mesos' crawler/render example: work fans out to counting
// executors and back in to a merging executor over framework messages.
// Prints the word counts on stdout (logs on stderr); exits 0 when the
// pipeline finished, 1 when not, 2 on bad flags or input.
//
//   mesocosm-example-pipeline --master 127.0.0.1:5060 [--counters 3] [--input FILE]
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver } from '@mesocosm/framework-sdk';
import { parseExampleArgs, USAGE, type ExampleConfig } from './args.js';
import { DEFAULT_TEXT } from './corpus.js';
import { Pipeline } from './pipeline.js';
import { runPipeline } from './run.js';
import { formatSummary } from './summary.js';
import { chunkText, type Chunk } from './words.js';

function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function config(): { c: ExampleConfig; chunks: Chunk[] } {
  let c: ExampleConfig | undefined;
  try {
    c = parseExampleArgs(process.argv.slice(2));
  } catch (err) {
    usageError((err as Error).message);
  }
  if (!c) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let text = DEFAULT_TEXT;
  try {
    if (c.input !== undefined) text = readFileSync(c.input, 'utf8');
    return { c, chunks: chunkText(text, c.chunkLines) };
  } catch (err) {
    usageError(`--input ${c.input ?? '(built-in text)'}: ${(err as Error).message}`);
  }
}

const { c, chunks } = config();
const driver = new SchedulerDriver({
  master: c.master,
  framework: { name: c.name, user: userInfo().username, roles: ['*'] },
});
const pipeline = new Pipeline({ chunks, counters: c.counters, name: c.name, resendMs: c.resendMs });
const outcome = await runPipeline(driver, pipeline, {
  counterPath: fileURLToPath(new URL('./counter.js', import.meta.url)),
  mergerPath: fileURLToPath(new URL('./merger.js', import.meta.url)),
  top: c.top,
  timeoutMs: c.timeoutMs,
});
for (const line of formatSummary(c.name, outcome.tasks, outcome.merged)) process.stdout.write(`${line}\n`);
if (outcome.failure) process.stderr.write(`pipeline failed: ${outcome.failure}\n`);
if (outcome.timedOut) process.stderr.write(`gave up after ${c.timeoutMs / 1000} s\n`);
process.exit(outcome.succeeded ? 0 : 1);
