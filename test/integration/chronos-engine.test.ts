// Chronos' engine on a real cluster (LocalCluster: a master and two agents in
// this process, real shell tasks): schedules on real time (drift measured
// from the tasks' own clocks), Rn, retries, a dependency join, missed runs,
// manual runs, and a leader failover on a real ZooKeeper with the run counted
// from the agents' sandboxes and the tasks' own output, not Chronos' records.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Chronos, parseRunId, type ChronosOptions } from '@mesocosm/chronos';
import { silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';

const FAST_RETRY = { initialDelayMs: 300, factor: 1, maxDelayMs: 300 };

function isoAt(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The next whole second at least `ms` from now. */
function secondAfter(ms: number): number {
  return Math.ceil((Date.now() + ms) / 1000) * 1000;
}

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

/** Task sandboxes of a job on every agent: one `run-N` directory per launch of a task ID. */
async function sandboxes(cluster: LocalCluster, job: string): Promise<string[]> {
  const found: string[] = [];
  for (const agent of cluster.agents) {
    const root = join(agent.workDir, 'sandboxes');
    for (const fw of await readdir(root).catch(() => [])) {
      for (const task of await readdir(join(root, fw, 'tasks')).catch(() => [])) {
        if (!task.endsWith(`:${job}`)) continue;
        for (const run of await readdir(join(root, fw, 'tasks', task))) found.push(`${task}/${run}`);
      }
    }
  }
  return found.sort();
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

describe('Chronos engine on a LocalCluster', function () {
  this.timeout(180_000);
  let cluster: LocalCluster;
  let chronos: Chronos;
  let dir: string;

  const options = (): ChronosOptions => ({
    master: cluster.masterGrpc,
    hostname: '127.0.0.1',
    httpPort: 0,
    httpHost: '127.0.0.1',
    logger: silentLogger,
    retryPolicy: FAST_RETRY,
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chronos-it-'));
    cluster = await LocalCluster.start({ agents: 2 });
    await cluster.waitForAgents(2);
    chronos = await Chronos.start(options());
    await waitFor(() => chronos.isLeader && chronos.service.isLeader(), { timeoutMs: 20_000, message: 'leading' });
  });
  after(async () => {
    await chronos?.stop();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const stats = (job: string): ReturnType<Chronos['service']['jobStats']> => chronos.service.jobStats(job);

  it('runs a job every 2 s on schedule (drift measured from the tasks), each scheduled time once', async () => {
    const out = join(dir, 'every2.txt');
    const start = secondAfter(2_000);
    await chronos.service.putScheduledJob({
      name: 'every2',
      command: `echo "$CHRONOS_JOB_RUN_ID $(date +%s%3N)" >> ${out}`,
      schedule: `R/${isoAt(start)}/PT2S`,
      cpus: 0.1,
      mem: 32,
    });
    await waitFor(async () => (await lines(out)).length >= 8, { timeoutMs: 60_000, message: '8 runs of every2' });
    const runs = (await lines(out)).map((l) => {
      const [runId = '', at = ''] = l.split(' ');
      return { scheduled: parseRunId(runId)?.scheduledTime ?? NaN, at: Number(at) };
    });
    const drifts = runs.map((r) => r.at - r.scheduled).sort((a, b) => a - b);
    console.log(
      `      every2: ${runs.length} runs, drift (task start - scheduled) p50 ${percentile(drifts, 0.5)} ms, max ${drifts.at(-1)} ms`,
    );
    const times = runs.map((r) => r.scheduled);
    expect(new Set(times).size, 'no scheduled time ran twice').to.equal(times.length);
    expect(times[0]).to.equal(start);
    times.forEach((t, i) => expect(t).to.equal(start + 2_000 * i));
    expect(drifts[0]).to.be.at.least(0);
    await chronos.service.deleteJob('every2');
  });

  it('stops an R3 schedule after three runs', async () => {
    const out = join(dir, 'r3.txt');
    await chronos.service.putScheduledJob({
      name: 'r3',
      command: `echo "$CHRONOS_JOB_RUN_ID" >> ${out}`,
      schedule: `R3/${isoAt(secondAfter(1_000))}/PT1S`,
      mem: 32,
    });
    await waitFor(() => stats('r3')?.counters['successCount'] === 3, { timeoutMs: 30_000, message: '3 successes' });
    expect(String(chronos.service.getJob('r3')?.['schedule'])).to.match(/^R0\//);
    expect(await lines(out)).to.have.length(3);
    expect(chronos.engine?.state.liveRuns().filter((r) => r.job === 'r3')).to.deep.equal([]);
  });

  it('retries a failing job (exit 1) `retries` times, then records the failure', async () => {
    await chronos.service.putScheduledJob({
      name: 'fails',
      command: 'echo trying; exit 1',
      schedule: `R1/${isoAt(secondAfter(1_000))}/PT1H`,
      retries: 2,
      mem: 32,
    });
    await waitFor(() => stats('fails')?.counters['errorCount'] === 1, { timeoutMs: 30_000, message: 'final failure' });
    const history = stats('fails')?.history ?? [];
    expect(history.map((h) => [h.outcome, h.attempt])).to.deep.equal([
      ['failure', 2],
      ['failure', 1],
      ['failure', 0],
    ]);
    expect(await sandboxes(cluster, 'fails')).to.have.length(3);
    // The sandbox links point at the agent's files API and serve the task's stdout.
    const url = history[0]?.stdoutUrl ?? '';
    const body = (await (await fetch(url)).json()) as { data: string };
    expect(body.data).to.equal('trying\n');
  });

  it('runs C once after both A and B succeeded', async () => {
    const out = join(dir, 'join.txt');
    const at = isoAt(secondAfter(1_000));
    for (const name of ['A', 'B']) {
      await chronos.service.putScheduledJob({
        name,
        command: `sleep 0.${name === 'A' ? 2 : 8}`,
        schedule: `R1/${at}/PT1H`,
        mem: 32,
      });
    }
    await chronos.service.putDependentJob({
      name: 'C',
      command: `echo "$CHRONOS_JOB_RUN_ID" >> ${out}`,
      parents: ['A', 'B'],
      mem: 32,
    });
    await waitFor(() => stats('C')?.counters['successCount'] === 1, { timeoutMs: 30_000, message: 'C ran' });
    expect(stats('A')?.counters['successCount']).to.equal(1);
    expect(stats('B')?.counters['successCount']).to.equal(1);
    expect(await lines(out)).to.have.length(1);
    expect(await sandboxes(cluster, 'C')).to.have.length(1);
    expect(chronos.service.graphCsv()).to.contain('link,A,C\nlink,B,C\n');
  });

  it('records runs missed past epsilon as skipped (a job created with a past start)', async () => {
    await chronos.service.putScheduledJob({
      name: 'missed',
      command: 'true',
      schedule: `R/${isoAt(secondAfter(-150_000))}/PT60S`,
      epsilon: 'PT10S',
      mem: 32,
    });
    await waitFor(() => stats('missed')?.counters['skippedCount'] === 3, { timeoutMs: 10_000, message: '3 skips' });
    const reasons = (stats('missed')?.history ?? []).map((h) => `${h.outcome} ${h.reason?.split(':')[0] ?? ''}`);
    expect(reasons).to.deep.equal(['skipped missed-epsilon', 'skipped missed-epsilon', 'skipped missed-epsilon']);
    await chronos.service.deleteJob('missed');
  });

  it('runs a job on request, with arguments', async () => {
    const out = join(dir, 'manual.txt');
    await chronos.service.putScheduledJob({
      name: 'manual',
      command: `echo "$CHRONOS_JOB_RUN_ID" >> ${out}; echo`,
      schedule: `R/${isoAt(secondAfter(86_400_000))}/P1D`,
      mem: 32,
    });
    const { runId } = await chronos.service.runJob('manual', ['hello', 'world']);
    await waitFor(() => stats('manual')?.counters['successCount'] === 1, { timeoutMs: 30_000, message: 'manual run' });
    expect(await lines(out)).to.deep.equal([runId]);
    const url = stats('manual')?.history[0]?.stdoutUrl ?? '';
    expect(((await (await fetch(url)).json()) as { data: string }).data).to.equal('hello world\n');
  });
});

function instancesOptions(cluster: LocalCluster, zk: string): ChronosOptions {
  return { master: cluster.masterGrpc, zk, zkSessionTimeoutMs: 4_000, hostname: '127.0.0.1', logger: silentLogger };
}

describe('Chronos failover on ZooKeeper', function () {
  this.timeout(180_000);
  let cluster: LocalCluster | undefined;
  const instances: Chronos[] = [];
  let dir: string | undefined;

  after(async () => {
    for (const c of instances) await c.stop().catch(() => undefined);
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the run due during a leader change exactly once (counted in the sandboxes and the output)', async function () {
    requireInfra(this, 'zookeeper');
    const { connectString } = await sharedZooKeeper();
    dir = await mkdtemp(join(tmpdir(), 'chronos-ha-'));
    cluster = await LocalCluster.start({ agents: 2 });
    await cluster.waitForAgents(2);
    const zk = `zk://${connectString}/chronos-it-${randomUUID()}`;
    for (let i = 0; i < 2; i++)
      instances.push(await Chronos.start({ ...instancesOptions(cluster, zk), httpPort: 0, httpHost: '127.0.0.1' }));
    await waitFor(() => instances.filter((c) => c.isLeader).length === 1, { timeoutMs: 30_000, message: 'a leader' });
    const leader = instances.find((c) => c.isLeader) as Chronos;
    const standby = instances.find((c) => c !== leader) as Chronos;
    expect(standby.service.leaderUrl()).to.equal(leader.url);

    const out = join(dir, 'ha.txt');
    const start = secondAfter(3_000);
    const period = 3_000;
    await leader.service.putScheduledJob({
      name: 'ha',
      command: `echo "$CHRONOS_JOB_RUN_ID $(date +%s%3N)" >> ${out}; sleep 1`,
      schedule: `R/${isoAt(start)}/PT3S`,
      mem: 32,
    });
    // Two runs under the first leader, then it stops abruptly 300 ms before the third.
    await waitFor(async () => (await lines(out)).length >= 2, { timeoutMs: 30_000, message: 'two runs' });
    const third = start + 2 * period;
    await waitFor(() => Date.now() >= third - 300, { timeoutMs: 30_000, intervalMs: 10, message: 'just before run 3' });
    await leader.stop();
    await waitFor(() => standby.isLeader, { timeoutMs: 30_000, message: 'the standby leads' });
    await waitFor(async () => (await lines(out)).length >= 4, { timeoutMs: 60_000, message: 'four runs' });

    // A third instance stands by; the second leader stops while a task it launched runs.
    const third3 = await Chronos.start({ ...instancesOptions(cluster, zk), httpPort: 0, httpHost: '127.0.0.1' });
    instances.push(third3);
    await waitFor(() => third3.service.leaderUrl() === standby.url, { timeoutMs: 30_000, message: 'third stands by' });
    const inFlight = await waitFor(
      () => standby.engine?.state.liveRuns().find((r) => r.job === 'ha' && r.agentId !== undefined),
      { timeoutMs: 30_000, intervalMs: 5, message: 'a launched run' },
    );
    await standby.stop();
    await waitFor(() => third3.isLeader, { timeoutMs: 30_000, message: 'the third instance leads' });
    await waitFor(async () => (await lines(out)).length >= 7, { timeoutMs: 60_000, message: 'seven runs' });

    const runs = (await lines(out)).map((l) => {
      const [runId = '', at = ''] = l.split(' ');
      return {
        scheduled: parseRunId(runId)?.scheduledTime ?? NaN,
        late: Number(at) - (parseRunId(runId)?.scheduledTime ?? NaN),
      };
    });
    console.log(
      `      ha: run due 300 ms after the first leader stopped started ${runs[2]?.late} ms late; ` +
        `run in flight at the second stop: ${inFlight.runId} (${inFlight.state})`,
    );
    const seen = runs.map((r) => r.scheduled);
    const expected = [];
    for (let t = start; t <= Math.max(...seen); t += period) expected.push(t);
    expect(seen, 'each scheduled time ran once, none lost').to.deep.equal(expected);
    // The agents saw one sandbox per run: no task launched twice, no run with two tasks.
    const boxes = await sandboxes(cluster, 'ha');
    expect(boxes.every((b) => b.endsWith('/run-1'))).to.equal(true);
    expect(boxes.length).to.be.within(expected.length, expected.length + 1); // the next run may have started
    expect(boxes.some((b) => b.startsWith(inFlight.taskId))).to.equal(true);
  });
});
