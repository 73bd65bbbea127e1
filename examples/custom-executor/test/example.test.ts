// End to end: the example's scheduler and executor on a real in-process
// cluster, through its run loop and as the command a user runs.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster } from '@mesocosm/testing';
import { parseExampleArgs } from '../src/args.js';
import { fibonacci } from '../src/fibonacci.js';
import { runExample } from '../src/run.js';

const EXECUTOR = fileURLToPath(new URL('../src/executor.js', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

/** Runs the example's command; resolves with its exit status and output. */
function runMain(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MESOCOSM_LOG: 'warn' },
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('custom-executor example against a LocalCluster', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  before(async () => {
    cluster = await LocalCluster.start({ agents: 2 });
  });
  after(() => cluster?.stop());

  it('runs three tasks on one executor process and reports their results', async () => {
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'fib', user: userInfo().username },
      logger: silentLogger,
    });
    const outcome = await runExample(driver, {
      inputs: [10, 50, 90],
      executorPath: EXECUTOR,
      timeoutMs: 30_000,
      log: () => {},
    });
    expect(outcome.timedOut).to.equal(false);
    expect(outcome.succeeded).to.equal(true);
    expect(outcome.results.map((r) => r.state)).to.deep.equal(Array(3).fill('TASK_FINISHED'));
    const pids = outcome.results.map((r) => /executor pid (\d+)/.exec(r.result)?.[1]);
    expect(pids[0]).to.match(/^\d+$/);
    expect(new Set(pids).size, 'one executor for the three tasks').to.equal(1);
    expect(outcome.results.map((r) => r.result.split(' (')[0])).to.deep.equal([
      `fib(10) = ${fibonacci(10)}`,
      `fib(50) = ${fibonacci(50)}`,
      `fib(90) = ${fibonacci(90)}`,
    ]);
    expect(cluster.agents.map((a) => a.agentId)).to.include(outcome.agentId);
  });

  it('runs as a command: several tasks on one executor, one result line each, exit 0', async () => {
    const r = await runMain(['--master', cluster.masterGrpc, '--n', '1,2,3,20']);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' (')[0])).to.deep.equal([
      'fib-1 TASK_FINISHED fib(1) = 1',
      'fib-2 TASK_FINISHED fib(2) = 1',
      'fib-3 TASK_FINISHED fib(3) = 2',
      'fib-4 TASK_FINISHED fib(20) = 6765',
    ]);
    expect(new Set(lines.map((l) => /executor pid (\d+)/.exec(l)?.[1])).size, 'one executor').to.equal(1);
  });

  it('refuses bad flags with a clear error and exit status 2', async () => {
    const bad = await runMain(['--master', cluster.masterGrpc, '--n', '10,x']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(
      /^error: --n must be a comma-separated list of whole numbers from 0 to 10000, got '10,x'/,
    );
    expect(bad.stderr).to.contain('usage: mesocosm-example-custom-executor');
    const unknown = await runMain(['--bogus']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^error: .*--bogus/);
    const help = await runMain(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('ONE custom executor');
  });

  it('parses flags, with defaults', () => {
    expect(parseExampleArgs([])).to.deep.equal({ master: '127.0.0.1:5060', inputs: [10, 50, 90], timeoutMs: 60_000 });
    expect(parseExampleArgs(['--n', '7', '--timeout', '5'])).to.deep.include({ inputs: [7], timeoutMs: 5000 });
    expect(() => parseExampleArgs(['--n', '10001'])).to.throw(/--n/);
    expect(() => parseExampleArgs(['--n', '1,,2'])).to.throw(/--n/);
    expect(() => parseExampleArgs(['--timeout', 'soon'])).to.throw(/--timeout/);
    expect(() => parseExampleArgs(['--master', 'nohost'])).to.throw(/host:port/);
  });

  it('computes Fibonacci numbers exactly', () => {
    expect([0, 1, 2, 10].map((n) => fibonacci(n))).to.deep.equal([0n, 1n, 1n, 55n]);
    expect(fibonacci(90)).to.equal(2880067194370816120n);
    expect(() => fibonacci(-1)).to.throw(RangeError);
  });
});
