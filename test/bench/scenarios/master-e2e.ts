// Master end to end: tasks launched and finished per second through offers,
// a master (child process) with 1,000 simulated agents and 10 frameworks on
// the SDK's SchedulerDriver (support/flow-framework.ts) in the bench process,
// each task finishing a set time after it started. Against a bare grpc-js
// server in a child process (support/raw-echo.ts) echoing as many messages
// over as many connections, in the same run: a task costs the master
// MESSAGES_PER_TASK messages in and as many out.
import { loadAverage } from '../support/proc-stats.js';
import { startMasterProcess } from '../support/master-process.js';
import { mixedEchoRate, startRawServerProcess, type RawServerProcess } from '../support/raw-echo.js';
import { FlowFramework } from '../support/flow-framework.js';
import { SimulatedAgents } from '../simulated-agents.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

const AGENTS = 1000;
const FRAMEWORKS = 10;
/** 8 tasks fit an agent of 16 cpus: 8,000 at once over 1,000 agents. */
const TASK_RESOURCES = 'cpus:2;mem:256';
/** How long a task runs, from RUN_TASK at its agent to TASK_FINISHED. */
const RUN_MS = 200;
/**
 * What a task costs the master, in messages each way: in, 3 updates from
 * the agent (STARTING, RUNNING, FINISHED) and 3 acknowledgements from the
 * framework; out, RUN_TASK, the 3 updates to the framework and the 3
 * acknowledgements to the agent (offers and ACCEPTs, shared by the tasks of
 * an offer, left out).
 */
export const MESSAGES_PER_TASK = 7;

interface Run {
  tasksPerSecond: number;
  masterCpuPerTaskMs: number;
  benchCpuPerTaskMs: number;
  offers: number;
}

async function flow(ctx: BenchContext, tasks: number, warmup: number): Promise<Run> {
  const master = await startMasterProcess({ name: 'master-e2e', flags: ['--offer_timeout', '0ms'] });
  let agents: SimulatedAgents | undefined;
  const frameworks: FlowFramework[] = [];
  try {
    ctx.progress(`master-e2e: ${AGENTS} simulated agents registering`);
    agents = await SimulatedAgents.start({ master: master.grpc, count: AGENTS, runMs: () => RUN_MS });
    const perFramework = Math.ceil(tasks / FRAMEWORKS);
    ctx.progress(`master-e2e: ${FRAMEWORKS} frameworks, ${warmup * FRAMEWORKS} warm-up tasks`);
    for (let i = 0; i < FRAMEWORKS; i++)
      frameworks.push(
        await FlowFramework.start({
          master: master.grpc,
          name: `flow-${i}`,
          tasks: warmup,
          taskResources: TASK_RESOURCES,
          prefix: `f${i}-`,
        }),
      );
    await Promise.all(frameworks.map((f) => f.finishedAtLeast(warmup, 120_000)));
    ctx.progress(`master-e2e: ${perFramework * FRAMEWORKS} tasks, ${RUN_MS} ms each`);
    const offers0 = frameworks.reduce((n, f) => n + f.counts.offers, 0);
    const masterCpu0 = await master.cpuMs();
    const benchCpu0 = process.cpuUsage();
    const start = performance.now();
    for (const f of frameworks) f.addTasks(perFramework);
    await Promise.all(frameworks.map((f) => f.finishedAtLeast(warmup + perFramework, 300_000)));
    const seconds = (performance.now() - start) / 1000;
    const benchCpu = process.cpuUsage(benchCpu0);
    const total = perFramework * FRAMEWORKS;
    return {
      tasksPerSecond: total / seconds,
      masterCpuPerTaskMs: ((await master.cpuMs()) - masterCpu0) / total,
      benchCpuPerTaskMs: (benchCpu.user + benchCpu.system) / 1000 / total,
      offers: frameworks.reduce((n, f) => n + f.counts.offers, 0) - offers0,
    };
  } finally {
    await Promise.allSettled(frameworks.map((f) => f.stop()));
    await agents?.stop();
    await master.stop();
  }
}

/** The bare server's echo rate and CPU per echo over the e2e's connections and traffic shape. */
interface Limit {
  rate: number;
  cpuPerPairMs: number;
}

async function rawLimit(ctx: BenchContext, raw: RawServerProcess, echoes: number): Promise<Limit> {
  ctx.progress(`master-e2e: bare gRPC echo, ${echoes} messages over ${AGENTS + FRAMEWORKS} connections`);
  // Half the traffic on the frameworks' few busy streams, half spread over the agents' quiet ones.
  const groups = [
    { streams: FRAMEWORKS, perStream: Math.ceil(echoes / 2 / FRAMEWORKS), window: 64 },
    { streams: AGENTS, perStream: Math.ceil(echoes / 2 / AGENTS), window: 4 },
  ];
  const cpu0 = await raw.cpuMs();
  const rate = await mixedEchoRate(raw.address, groups);
  const pairs = groups.reduce((n, g) => n + g.streams * (g.perStream + 1), 0);
  return { rate, cpuPerPairMs: ((await raw.cpuMs()) - cpu0) / pairs };
}

export const masterE2eScenario: Scenario = {
  name: 'master-e2e',
  description: `tasks launched+finished/s via offers, ${AGENTS} simulated agents x ${FRAMEWORKS} frameworks vs bare grpc-js echo`,
  async run(ctx: BenchContext): Promise<Figure[]> {
    const tasks = ctx.quick ? 4_000 : 20_000;
    const echoes = ctx.quick ? 10_000 : 60_000;
    const raw = await startRawServerProcess();
    let before: Limit;
    let after: Limit;
    let run: Run;
    try {
      await rawLimit(ctx, raw, ctx.quick ? 2_000 : 10_000); // warm-up: the same connections and shape
      // The machine is shared: the limit is taken before and after the run, and averaged.
      before = await rawLimit(ctx, raw, echoes);
      run = await flow(ctx, tasks, ctx.quick ? 100 : 200);
      after = await rawLimit(ctx, raw, echoes);
    } finally {
      await raw.stop();
    }
    const limit = {
      rate: (before.rate + after.rate) / 2,
      cpuPerPairMs: (before.cpuPerPairMs + after.cpuPerPairMs) / 2,
    };
    ctx.note(
      `${tasks} tasks, ${run.offers} offers; bench process (agents + frameworks) CPU ${run.benchCpuPerTaskMs.toFixed(3)} ms per task; ` +
        `bare echo ${Math.round(before.rate)} msgs/s before the run, ${Math.round(after.rate)} after; load average ${(await loadAverage()).toFixed(2)}`,
    );
    const connections = `${AGENTS + FRAMEWORKS} connections`;
    return [
      {
        scenario: 'master-e2e',
        figure: `bare grpc-js echo, child process, ${connections} (limit figure)`,
        unit: 'msgs/s',
        value: limit.rate,
        better: 'higher',
      },
      {
        scenario: 'master-e2e',
        figure: `tasks launched and finished, ${AGENTS} agents x ${FRAMEWORKS} fw, ${RUN_MS} ms tasks`,
        unit: 'tasks/s',
        value: run.tasksPerSecond,
        better: 'higher',
        limit: limit.rate / MESSAGES_PER_TASK,
        limitLabel: `bare grpc-js echo rate over ${connections} / ${MESSAGES_PER_TASK} (a task's messages each way at the master)`,
      },
      {
        scenario: 'master-e2e',
        figure: 'master CPU per task (launched and finished)',
        unit: 'ms',
        value: run.masterCpuPerTaskMs,
        better: 'lower',
        limit: limit.cpuPerPairMs * MESSAGES_PER_TASK,
        limitLabel: `bare grpc-js server CPU for ${MESSAGES_PER_TASK} echoes (a task's messages)`,
      },
    ];
  },
};
