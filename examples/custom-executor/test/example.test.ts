// End to end: the example's scheduler and executor on a real in-process cluster.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster } from '@mesocosm/testing';
import { fibonacci } from '../src/fibonacci.js';
import { runExample } from '../src/run.js';

const EXECUTOR = fileURLToPath(new URL('../src/executor.js', import.meta.url));

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
      framework: { name: 'fib', user: 'test' },
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

  it('computes Fibonacci numbers exactly', () => {
    expect([0, 1, 2, 10].map((n) => fibonacci(n))).to.deep.equal([0n, 1n, 1n, 55n]);
    expect(fibonacci(90)).to.equal(2880067194370816120n);
    expect(() => fibonacci(-1)).to.throw(RangeError);
  });
});
