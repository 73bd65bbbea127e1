// The pi example: its pure core, and the framework end to end on a real
// in-process cluster (LocalCluster), both through its run loop and as the
// command a user runs.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import { parseExampleArgs } from '../src/args.js';
import { PiJob } from '../src/job.js';
import { countInside, estimatePi, localEstimate, mulberry32, seedsFrom } from '../src/monte-carlo.js';
import { runPi } from '../src/run.js';
import { formatSummary } from '../src/summary.js';
import { decodeSample, decodeWork, encodeSample, encodeWork } from '../src/wire.js';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const EXECUTOR = fileURLToPath(new URL('../src/executor.js', import.meta.url));

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

interface MasterStateView {
  frameworks: Array<{ id: string }>;
  completed_frameworks: Array<{ id: string }>;
}

describe('pi example against a LocalCluster', function () {
  this.timeout(90_000);
  let cluster: LocalCluster;
  before(async () => {
    cluster = await LocalCluster.start({ agents: 2 });
  });
  after(() => cluster?.stop());

  it('runs one task per seed on custom executors, spread over the agents, and combines their counts', async () => {
    const job = new PiJob({ tasks: 4, samples: 200_000, seed: 7, name: 'pi-e2e' });
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'pi-e2e', user: userInfo().username },
      logger: silentLogger,
    });
    const outcome = await runPi(driver, job, {
      executorPath: EXECUTOR,
      timeoutMs: 60_000,
      log: () => {},
      logger: silentLogger,
    });
    expect(outcome.timedOut).to.equal(false);
    expect(outcome.succeeded).to.equal(true);
    expect(outcome.results.map((r) => r.state)).to.deep.equal(Array(4).fill('TASK_FINISHED'));
    expect(outcome.results.map((r) => r.seed)).to.deep.equal([7, 8, 9, 10]);
    // Each count is exactly the one its seed gives here: the result travelled intact.
    for (const r of outcome.results) expect(r.inside).to.equal(countInside(r).inside);
    expect(outcome.estimate).to.equal(localEstimate(7, 4, 200_000));
    expect(Math.abs(outcome.estimate! - Math.PI)).to.be.lessThan(0.01);
    // The Scheduler spreads the tasks: both agents ran some.
    expect(new Set(outcome.results.map((r) => r.agentId))).to.deep.equal(new Set(cluster.agents.map((a) => a.agentId)));
    await waitFor(
      async () => {
        const s = await fetchJson<MasterStateView>(`${cluster.masterHttp}/master/state`);
        return !s.frameworks.some((f) => f.id === outcome.frameworkId);
      },
      { timeoutMs: 5000, message: 'the framework torn down' },
    );
  });

  it('runs as a command: prints the estimate and exits 0', async () => {
    const r = await runMain(['--master', cluster.masterGrpc, '--tasks', '3', '--samples', '50000', '--seed', '42']);
    expect(r.code, r.stderr).to.equal(0);
    const expected = localEstimate(42, 3, 50_000);
    expect(r.stdout).to.contain(`pi ≈ ${expected.toFixed(7)} from 150000 samples in 3 tasks`);
    expect(r.stdout.match(/^ {2}pi-\d +seed=\d+ +\d+\/50000 inside/gm)).to.have.length(3);
  });

  it('refuses bad flags with a clear error and exit status 2, before contacting any master', async () => {
    const zero = await runMain(['--master', cluster.masterGrpc, '--tasks', '0']);
    expect(zero.code).to.equal(2);
    expect(zero.stderr).to.match(/^error: --tasks must be a whole number from 1 to 1000, got '0'/);
    expect(zero.stderr).to.contain('usage: mesocosm-example-pi');
    const unknown = await runMain(['--bogus']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^error: .*--bogus/);
    const help = await runMain(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('--samples');
  });
});

describe('pi example core', () => {
  it('draws the same points from the same seed, and different ones from another', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).to.deep.equal(xs);
    expect(c()).to.not.equal(xs[0]);
    for (const x of xs) expect(x).to.be.within(0, 1);
    expect(countInside({ seed: 5, samples: 1000 })).to.deep.equal(countInside({ seed: 5, samples: 1000 }));
  });

  it('estimates pi from the combined counts', () => {
    expect(
      estimatePi([
        { seed: 0, samples: 4, inside: 3 },
        { seed: 1, samples: 4, inside: 4 },
      ]),
    ).to.equal(3.5);
    expect(() => estimatePi([])).to.throw(RangeError);
    expect(seedsFrom(0xfffffffe, 3)).to.deep.equal([0xfffffffe, 0xffffffff, 0]);
    expect(Math.abs(localEstimate(1, 4, 100_000) - Math.PI)).to.be.lessThan(0.02);
  });

  it('encodes work and results, and refuses malformed ones', () => {
    expect(decodeWork(encodeWork({ seed: 3, samples: 10 }))).to.deep.equal({ seed: 3, samples: 10 });
    expect(decodeSample(encodeSample({ seed: 3, samples: 10, inside: 8 }))).to.deep.equal({
      seed: 3,
      samples: 10,
      inside: 8,
    });
    expect(() => decodeWork(Buffer.from('nope'))).to.throw(/not JSON/);
    expect(() => decodeWork(Buffer.from('{"seed":-1,"samples":3}'))).to.throw(/seed must be a whole number/);
    expect(() => decodeSample(Buffer.from('{"seed":1,"samples":3,"inside":4}'))).to.throw(/inside/);
  });

  it('counts a task as failed when its result is missing or for other work', () => {
    const job = new PiJob({ tasks: 3, samples: 10, seed: 1, name: 'p' });
    expect(
      job.wanted({ executorId: { value: 'x' } }).map((t) => [t.taskId, t.executor?.executorId?.value]),
    ).to.deep.equal([
      ['p-1', 'p-1'],
      ['p-2', 'p-2'],
      ['p-3', 'p-3'],
    ]);
    job.update('p-1', 'TASK_FINISHED', 'a1', '', encodeSample({ seed: 1, samples: 10, inside: 8 }));
    job.update('p-2', 'TASK_FINISHED', 'a1', '', encodeSample({ seed: 9, samples: 10, inside: 8 }));
    job.update('p-3', 'TASK_FINISHED', 'a2', '', undefined);
    expect(job.done()).to.equal(true);
    expect(job.succeeded()).to.equal(false);
    expect(job.estimate()).to.equal(undefined);
    const [r1, r2, r3] = job.results();
    expect(r1!.inside).to.equal(8);
    expect(r2!.message).to.match(/bad result: result is for seed 9/);
    expect(r3!.message).to.match(/bad result: result is not JSON/);
    expect(job.update('p-1', 'TASK_LOST', 'a1', '')).to.equal(false);
    expect(formatSummary(job.results(), job.estimate()).at(-1)).to.equal(
      'pi: no estimate: 1 of 3 tasks finished with a result',
    );
  });

  it('parses flags, with defaults, and rejects bad ones', () => {
    expect(parseExampleArgs([])).to.deep.equal({
      master: '127.0.0.1:5060',
      tasks: 4,
      samples: 1_000_000,
      seed: 1,
      name: 'pi',
      timeoutMs: 120_000,
    });
    expect(parseExampleArgs(['--help'])).to.equal(undefined);
    expect(() => parseExampleArgs(['--samples', '1.5'])).to.throw(/--samples must be a whole number/);
    expect(() => parseExampleArgs(['--seed', '4294967296'])).to.throw(/--seed/);
    expect(() => parseExampleArgs(['--master', 'nohost'])).to.throw(/host:port/);
    expect(() => parseExampleArgs(['--timeout', '0'])).to.throw(/--timeout/);
  });
});
