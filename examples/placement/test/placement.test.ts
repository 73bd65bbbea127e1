// The placement example on a real in-process cluster whose agents have
// hostnames, attributes and port ranges of their own: placement obeys the
// constraints, each instance answers over HTTP on the port it was given, and
// what cannot be placed is refused for the constraint's reason.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, type AgentSpec } from '@mesocosm/testing';
import { parseConstraintFlag, parseExampleArgs } from '../src/args.js';
import { InstanceBook } from '../src/instances.js';
import { runPlacement, type PlacementOutcome } from '../src/run.js';
import { formatSummary } from '../src/summary.js';

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

/** Two agents share host node-a (as two agents on one machine would); node-c is outside the eu zones. */
const AGENTS: AgentSpec[] = [
  { hostname: 'node-a', attributes: 'zone:eu-1;rack:r1', resources: 'cpus:1;mem:1024;ports:[31000-31009]' },
  { hostname: 'node-b', attributes: 'zone:eu-2;rack:r2', resources: 'cpus:1;mem:1024;ports:[31100-31109]' },
  { hostname: 'node-c', attributes: 'zone:us-1;rack:r3', resources: 'cpus:1;mem:1024;ports:[31200-31209]' },
  { hostname: 'node-a', attributes: 'zone:eu-1;rack:r4', resources: 'cpus:1;mem:1024;ports:[31300-31309]' },
];
const PORT_BASE: Record<string, number[]> = { 'node-a': [31000, 31300], 'node-b': [31100], 'node-c': [31200] };

describe('placement example against a LocalCluster', function () {
  this.timeout(90_000);
  let cluster: LocalCluster;
  before(async () => {
    cluster = await LocalCluster.start({ agents: AGENTS });
  });
  after(() => cluster?.stop());

  async function run(
    name: string,
    instances: number,
    constraints: string[],
    timeoutMs: number,
  ): Promise<PlacementOutcome> {
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name, user: userInfo().username },
      logger: silentLogger,
    });
    const book = new InstanceBook({ instances, constraints: constraints.map(parseConstraintFlag), name });
    return runPlacement(driver, book, { serverPath: lib('server.js'), timeoutMs, log: () => {}, logger: silentLogger });
  }

  function inItsRange(i: PlacementOutcome['instances'][number]): boolean {
    return (PORT_BASE[i.hostname] ?? []).some((base) => i.port! >= base && i.port! < base + 10);
  }

  it('places UNIQUE-hostname instances in the eu zones only, each answering on its own port', async () => {
    const outcome = await run('web', 2, ['hostname:UNIQUE', 'zone:LIKE:eu-.*'], 60_000);
    expect(outcome.failure).to.equal(undefined);
    expect(outcome.succeeded).to.equal(true);
    const placed = outcome.instances;
    expect(placed.map((i) => i.answered)).to.deep.equal([true, true]);
    expect(placed.map((i) => i.hostname).sort()).to.deep.equal(['node-a', 'node-b']);
    for (const i of placed) {
      expect(i.attributes['zone']).to.match(/^eu-\d$/);
      expect(i.state).to.equal('TASK_RUNNING');
      expect(i.address).to.equal('127.0.0.1');
      expect(inItsRange(i), `${i.taskId}'s port ${i.port} is from its agent's range`).to.equal(true);
    }
  });

  it('leaves what the constraints forbid unplaced, and says which constraint refused the offers', async () => {
    // Three instances, but only node-a and node-b are both in an eu zone and distinct hosts.
    const outcome = await run('web3', 3, ['hostname:UNIQUE', 'zone:LIKE:eu-.*'], 6_000);
    expect(outcome.timedOut).to.equal(true);
    expect(outcome.succeeded).to.equal(false);
    const placed = outcome.instances.filter((i) => i.port !== undefined);
    expect(placed.map((i) => i.hostname).sort()).to.deep.equal(['node-a', 'node-b']);
    expect(placed.every((i) => i.answered)).to.equal(true);
    expect(outcome.instances.filter((i) => i.port === undefined).map((i) => i.state)).to.deep.equal(['PENDING']);
    expect(outcome.rejections['constraint hostname:UNIQUE'] ?? 0).to.be.greaterThan(0);
    expect(outcome.rejections['constraint zone:LIKE:eu-.*'] ?? 0).to.be.greaterThan(0);
    const summary = formatSummary(outcome.instances, 'hostname:UNIQUE', outcome.rejections);
    expect(summary.at(-1)).to.equal(
      'placement: 2 of 3 instances answering on their ports, on 2 hosts, with hostname:UNIQUE',
    );
    expect(summary.at(-2)).to.contain('constraint hostname:UNIQUE');
  });

  it('runs as a command with the default GROUP_BY and exits 0 once every instance answers', async () => {
    const r = await runMain(['--master', cluster.masterGrpc, '--instances', '3']);
    expect(r.code, r.stderr).to.equal(0);
    // Without a number GROUP_BY balances over the hostnames seen so far, so how many hosts
    // depends on the order offers arrive in (hostname:GROUP_BY:3 would insist on three).
    expect(r.stdout).to.match(
      /placement: 3 of 3 instances answering on their ports, on [1-3] hosts?, with hostname:GROUP_BY/,
    );
    expect(r.stdout.match(/answered$/gm)).to.have.length(3);
  });

  it('refuses bad flags with a clear error and exit status 2', async () => {
    const bad = await runMain(['--master', cluster.masterGrpc, '--constraint', 'hostname:SOMETIMES']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/^error: --constraint 'hostname:SOMETIMES': .*SOMETIMES/);
    expect(bad.stderr).to.contain('usage: mesocosm-example-placement');
    const zero = await runMain(['--instances', '0']);
    expect(zero.code).to.equal(2);
    expect(zero.stderr).to.match(/^error: --instances must be a whole number from 1 to 100, got '0'/);
  });
});

describe('placement example core', () => {
  it('parses constraints as Marathon writes them, values with colons included', () => {
    expect(parseConstraintFlag('hostname:UNIQUE')).to.deep.equal({ field: 'hostname', operator: 'UNIQUE' });
    expect(parseConstraintFlag('zone:LIKE:eu-.*')).to.deep.equal({ field: 'zone', operator: 'LIKE', value: 'eu-.*' });
    expect(parseConstraintFlag('url:LIKE:http://a:1')).to.deep.include({ value: 'http://a:1' });
    expect(() => parseConstraintFlag('hostname')).to.throw(/--constraint 'hostname'/);
    expect(() => parseConstraintFlag('hostname:UNIQUE:x')).to.throw(/UNIQUE does not accept a value/);
    expect(parseExampleArgs([])).to.deep.include({
      instances: 2,
      constraints: [{ field: 'hostname', operator: 'GROUP_BY' }],
    });
  });

  it('asks for one port and the constraints, and counts only an answer from the right task on its port', () => {
    const book = new InstanceBook({
      instances: 1,
      constraints: [{ field: 'hostname', operator: 'UNIQUE' }],
      name: 'w',
    });
    const [t] = book.wanted({ value: 'serve' });
    expect(t).to.deep.include({ taskId: 'w-1', ports: 1 });
    expect(t!.constraints).to.deep.equal([{ field: 'hostname', operator: 'UNIQUE' }]);
    book.launched({
      key: 'web',
      taskId: 'w-1',
      task: {
        taskId: { value: 'w-1' },
        resources: [{ name: 'ports', type: 1, ranges: { range: [{ begin: 31007, end: 31007 }] } }],
      },
      offer: { agentId: { value: 'a1' }, hostname: 'h1', url: 'http://10.0.0.5:5051' },
    });
    expect(book.url('w-1')).to.equal('http://10.0.0.5:31007/');
    expect(book.update('w-1', 'TASK_RUNNING', '', false)).to.equal(true);
    expect(book.update('w-1', 'TASK_RUNNING', 'healthy', false)).to.equal(false);
    expect(book.answer('w-1', { task: 'w-2', port: 31007 })).to.equal(false);
    expect(book.answer('w-1', { task: 'w-1', port: 31008 })).to.equal(false);
    expect(book.done()).to.equal(false);
    expect(book.answer('w-1', { task: 'w-1', port: 31007 })).to.equal(true);
    expect(book.done()).to.equal(true);
    book.update('w-1', 'TASK_FAILED', 'exit 1', true);
    expect(book.failure()).to.equal('w-1 ended TASK_FAILED (exit 1)');
  });
});
