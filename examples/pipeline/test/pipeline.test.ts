// The pipeline example end to end on a real in-process cluster (LocalCluster),
// through its run loop and as the command a user runs.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver, silentLogger, type MessageEvent } from '@mesocosm/framework-sdk';
import { LocalCluster } from '@mesocosm/testing';
import { DEFAULT_TEXT } from '../src/corpus.js';
import { Pipeline } from '../src/pipeline.js';
import { runPipeline } from '../src/run.js';
import { decodeFromStage } from '../src/wire.js';
import { chunkText, countWords, topWords, totalWords } from '../src/words.js';

const lib = (file: string): string => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

/** Runs the example's command; resolves with its exit status and output. */
function runMain(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [lib('main.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MESOCOSM_LOG: 'warn' },
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pipeline example against a LocalCluster', function () {
  this.timeout(90_000);
  let cluster: LocalCluster;
  let dir: string;
  before(async () => {
    cluster = await LocalCluster.start({ agents: 2 });
    dir = await mkdtemp(join(tmpdir(), 'pipeline-example-'));
  });
  after(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fans chunks out to the counters and back in to the merger over messages, and gets the exact counts', async () => {
    const chunks = chunkText(DEFAULT_TEXT, 2);
    const pipeline = new Pipeline({ chunks, counters: 3, name: 'wc', resendMs: 5000 });
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'wc', user: userInfo().username },
      logger: silentLogger,
    });
    const messages: MessageEvent[] = [];
    driver.on('message', (m) => void messages.push(m));
    const outcome = await runPipeline(driver, pipeline, {
      counterPath: lib('counter.js'),
      mergerPath: lib('merger.js'),
      top: 5,
      timeoutMs: 60_000,
      log: () => {},
      logger: silentLogger,
    });
    expect(outcome.failure).to.equal(undefined);
    expect(outcome.timedOut).to.equal(false);
    expect(outcome.succeeded).to.equal(true);

    // The merged result is the word count of the whole text, computed here.
    const local = countWords(DEFAULT_TEXT);
    expect(outcome.merged).to.deep.equal({
      type: 'merged',
      chunks: chunks.length,
      total: totalWords(local),
      distinct: local.size,
      top: topWords(local, 5),
    });

    // Fan-out: every counter counted some chunks, all of them between them; the counters ran on both agents.
    const counters = outcome.tasks.filter((t) => t.stage === 'count');
    expect(counters.map((t) => t.chunks).every((n) => n > 0)).to.equal(true);
    expect(counters.reduce((n, t) => n + t.chunks, 0)).to.equal(chunks.length);
    expect(new Set(counters.map((t) => t.agentId))).to.deep.equal(new Set(cluster.agents.map((a) => a.agentId)));
    expect(outcome.tasks.map((t) => t.state)).to.deep.equal(Array(4).fill('TASK_FINISHED'));

    // Every executor message names the stage executor that sent it and the agent it runs on.
    const where = new Map(outcome.tasks.map((t) => [t.taskId, t.agentId]));
    const kinds = messages.map((m) => {
      expect(where.get(m.executorId?.value ?? '')).to.equal(m.agentId?.value);
      return `${m.executorId?.value}:${decodeFromStage(m.data).type}`;
    });
    expect(kinds.filter((k) => k.endsWith(':counted'))).to.have.length(chunks.length);
    expect(kinds.at(-1)).to.equal('wc-merge:merged');
  });

  it('runs as a command over a file: prints the counts and exits 0', async () => {
    const text = 'one two two\nthree three three\n\nfour four four four\n';
    const input = join(dir, 'input.txt');
    await writeFile(input, text);
    const r = await runMain([
      '--master',
      cluster.masterGrpc,
      '--input',
      input,
      '--counters',
      '2',
      '--chunk-lines',
      '1',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('pipeline: 3 chunks, 10 words (4 distinct), counted by 2 executors on 2 agents');
    expect(r.stdout).to.match(/ {4}4 {2}four\n {4}3 {2}three\n {4}2 {2}two\n {4}1 {2}one\n$/);
  });

  it('refuses bad flags and unreadable input with a clear error and exit status 2', async () => {
    const zero = await runMain(['--master', cluster.masterGrpc, '--counters', '0']);
    expect(zero.code).to.equal(2);
    expect(zero.stderr).to.match(/^error: --counters must be a whole number from 1 to 100, got '0'/);
    expect(zero.stderr).to.contain('usage: mesocosm-example-pipeline');
    const missing = await runMain(['--master', cluster.masterGrpc, '--input', join(dir, 'nope.txt')]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/^error: --input .*nope\.txt: ENOENT/);
    const blank = join(dir, 'blank.txt');
    await writeFile(blank, '\n  \n... !!!\n');
    const empty = await runMain(['--master', cluster.masterGrpc, '--input', blank]);
    expect(empty.code).to.equal(2);
    expect(empty.stderr).to.contain('the input holds no words');
    const unknown = await runMain(['--bogus']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^error: .*--bogus/);
  });
});
