// Shell task launch through a real master and agent (in this process) and
// the SDK's SchedulerDriver: ACCEPT sent -> TASK_RUNNING / TASK_FINISHED
// received for `true`, one task at a time, against a bare
// spawn('/bin/sh', ['-c', 'true']) until exit; and the throughput of a batch
// over two agents against bare spawns with the same concurrency. One set of
// rows per isolation (posix, and cgroups when this machine allows it).
import { IsolationUnavailableError } from '@mesocosm/agent';
import type { TaskRequest } from '@mesocosm/framework-sdk';
import { summarize, type Summary } from '../stats.js';
import { sequentialSpawns, spawnThroughput } from '../support/bare-spawn.js';
import { BenchFramework } from '../support/bench-framework.js';
import { startBenchCluster, type BenchCluster } from '../support/cluster.js';
import { batchThroughput, sequentialLaunches } from '../support/launch-latency.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

const COMMAND = 'true';
const TASK = 'cpus:0.1;mem:32';
const AGENT = 'cpus:8;mem:8192;disk:8192';
/** Tasks two agents hold at once (8 cpus / 0.1 each, twice): the bare spawns get the same. */
const CONCURRENCY = 160;
const WARM_UP = 5;

type Isolation = 'posix' | 'cgroups';

function request(prefix: string): (i: number) => TaskRequest {
  return (i) => ({ taskId: `${prefix}-${i}`, resources: TASK, command: { value: COMMAND } });
}

/** A cluster with `agents` agents, or undefined (with a note) when the isolation is unavailable here. */
async function cluster(ctx: BenchContext, isolation: Isolation, agents: number): Promise<BenchCluster | undefined> {
  try {
    return await startBenchCluster(
      Array.from({ length: agents }, (_, i) => ({
        resources: `${AGENT};ports:[${31000 + i * 100}-${31099 + i * 100}]`,
        isolation,
      })),
    );
  } catch (err) {
    if (!(err instanceof IsolationUnavailableError)) throw err;
    ctx.note(`no ${isolation} rows: ${err.message}`);
    return undefined;
  }
}

async function withFramework<T>(c: BenchCluster, name: string, fn: (fw: BenchFramework) => Promise<T>): Promise<T> {
  const fw = await BenchFramework.start(c.masterGrpc, name);
  try {
    return await fn(fw);
  } finally {
    await fw.stop();
    await c.stop();
  }
}

function latencyFigures(isolation: Isolation, what: string, s: Summary, bare: Summary): Figure[] {
  const label = (p: string): string => `bare spawn('/bin/sh', ['-c', '${COMMAND}']) until exit, ${p}`;
  return (['p50', 'p99'] as const).map((p) => ({
    scenario: 'shell',
    figure: `ACCEPT->${what} ${p}, ${isolation} (n=${s.n})`,
    unit: 'ms',
    value: s[p],
    better: 'lower',
    limit: bare[p],
    limitLabel: label(p),
  }));
}

export const shellLaunchScenario: Scenario = {
  name: 'shell',
  description: `shell task 'true' via master + agent + SDK vs a bare spawn, latency and throughput`,
  async run(ctx: BenchContext): Promise<Figure[]> {
    const samples = ctx.quick ? 30 : 100;
    const batch = ctx.quick ? 100 : 300;
    ctx.progress(`bare spawn: ${samples} sequential, ${batch} at ${CONCURRENCY} at a time`);
    await sequentialSpawns(COMMAND, WARM_UP);
    const bare = summarize(await sequentialSpawns(COMMAND, samples));
    const bareRate = await spawnThroughput(COMMAND, batch, CONCURRENCY);

    const figures: Figure[] = [];
    for (const isolation of ['posix', 'cgroups'] as const) {
      const one = await cluster(ctx, isolation, 1);
      if (!one) continue;
      ctx.progress(`${isolation}: ${samples} tasks one at a time on 1 agent`);
      const latencies = await withFramework(one, `bench-shell-${isolation}`, async (fw) => {
        await sequentialLaunches(fw, WARM_UP, request(`warm-${isolation}`));
        return sequentialLaunches(fw, samples, request(`seq-${isolation}`));
      });
      figures.push(...latencyFigures(isolation, 'RUNNING', summarize(latencies.running), bare));
      figures.push(...latencyFigures(isolation, 'FINISHED', summarize(latencies.finished), bare));

      const two = await cluster(ctx, isolation, 2);
      if (!two) continue;
      ctx.progress(`${isolation}: ${batch} tasks at once over 2 agents`);
      const rate = await withFramework(two, `bench-batch-${isolation}`, (fw) =>
        batchThroughput(fw, batch, request(`batch-${isolation}`)),
      );
      figures.push({
        scenario: 'shell',
        figure: `throughput, ${batch} tasks over 2 agents, ${isolation}`,
        unit: 'tasks/s',
        value: rate,
        better: 'higher',
        limit: bareRate,
        limitLabel: `bare spawns of '${COMMAND}', ${CONCURRENCY} at a time (the agents' capacity), until exit`,
      });
    }
    return figures;
  },
};
