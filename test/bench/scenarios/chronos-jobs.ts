// Chronos at scale: a real master, simulated agents (../simulated-agents.ts)
// and Chronos, all in this process. One-shot jobs (R1) are created, their
// scheduled times spread evenly over a window (50 runs/s); each task reports
// TASK_FINISHED right after TASK_RUNNING. Measured: the start-time drift (the
// RUN_TASK's arrival at the simulated agent minus the run's scheduled time,
// read from Chronos' task ID) and the process CPU per run. The limit: a bare
// setTimeout per scheduled time, armed in the same process over the same
// window (so under the same load), firing with its own drift: the least any
// in-process scheduler could achieve here.
import { Chronos, parseTaskId } from '@mesocosm/chronos';
import { Master } from '@mesocosm/master';
import { TaskState, silentLogger } from '@mesocosm/protocol';
import { BenchError, withDeadline } from '../errors.js';
import { SimulatedAgents, wallNowMs } from '../simulated-agents.js';
import { summarize } from '../stats.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

const FRAMEWORK = 'bench-chronos';
/** Creation time budgeted per job, ms: the window opens after every job is created. */
const PUT_BUDGET_MS = 2;
const SLACK_MS = 2_000;
// 2,000 jobs keep a full run near a minute; the engine's cost per put no
// longer grows with the job count (docs/performance.md has the figures, and
// the 10,000-job ones from before the fix).

interface Sizes {
  jobs: number;
  agents: number;
  windowMs: number;
}

function isoAt(t: number): string {
  return new Date(t).toISOString();
}

/** Arms one timer per time in `times`; each records how late it fired (ms). */
function timerDrifts(times: readonly number[]): { drifts: number[]; all: Promise<void> } {
  const drifts: number[] = [];
  const all = new Promise<void>((resolve) => {
    for (const t of times)
      setTimeout(
        () => {
          drifts.push(wallNowMs() - t);
          if (drifts.length === times.length) resolve();
        },
        Math.max(0, t - wallNowMs()),
      );
  });
  return { drifts, all };
}

async function until(check: () => boolean, what: string, deadlineMs: number): Promise<void> {
  const poll = async (): Promise<void> => {
    while (!check()) await new Promise<void>((r) => setTimeout(r, 20));
  };
  await withDeadline(poll(), deadlineMs, what);
}

export const chronosJobsScenario: Scenario = {
  name: 'chronos',
  description: 'Chronos starting 2,000 scheduled jobs on simulated agents: start drift vs bare setTimeout drift',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const sizes: Sizes = ctx.quick
      ? { jobs: 500, agents: 20, windowMs: 10_000 }
      : { jobs: 2_000, agents: 50, windowMs: 40_000 };
    const drifts: number[] = [];
    const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
    let agents: SimulatedAgents | undefined;
    let chronos: Chronos | undefined;
    try {
      ctx.progress(`${sizes.agents} simulated agents`);
      agents = await SimulatedAgents.start({
        master: master.grpcAddress,
        count: sizes.agents,
        finishes: (_task, framework) => framework.name === FRAMEWORK,
        onRunTask: (taskId, at) => {
          const ref = parseTaskId(taskId);
          if (ref !== null && ref.attempt === 0) drifts.push(at - ref.scheduledTime);
        },
      });
      chronos = await Chronos.start({
        master: master.grpcAddress,
        http: false,
        hostname: '127.0.0.1',
        frameworkName: FRAMEWORK,
        logger: silentLogger,
      });
      const c = chronos;
      await until(() => c.isLeader, 'Chronos leading', 20_000);

      const windowStart = Math.ceil(wallNowMs() + sizes.jobs * PUT_BUDGET_MS + SLACK_MS);
      const times = Array.from({ length: sizes.jobs }, (_, i) =>
        Math.round(windowStart + (i * sizes.windowMs) / sizes.jobs),
      );
      ctx.progress(`${sizes.jobs} jobs due over ${sizes.windowMs / 1000} s`);
      const createStart = performance.now();
      for (const [i, t] of times.entries())
        await c.service.putScheduledJob({
          name: `bench-${i}`,
          command: 'true',
          schedule: `R1/${isoAt(t)}/PT1H`,
          cpus: 0.01,
          mem: 16,
          disk: 0,
        });
      const createMs = performance.now() - createStart;
      if (wallNowMs() > windowStart - 200)
        throw new BenchError(
          `creating ${sizes.jobs} jobs took ${Math.round(createMs)} ms, past the window's start: raise PUT_BUDGET_MS`,
        );
      const timers = timerDrifts(times);
      await new Promise<void>((r) => setTimeout(r, Math.max(0, windowStart - wallNowMs())));
      const cpu0 = process.cpuUsage();
      await agents.acknowledgedAtLeast(TaskState.TASK_FINISHED, sizes.jobs, sizes.windowMs + 120_000);
      const cpu = process.cpuUsage(cpu0);
      await withDeadline(timers.all, 10_000, 'the bare timers');
      if (drifts.length !== sizes.jobs)
        throw new BenchError(`expected ${sizes.jobs} first attempts at the agents, got ${drifts.length}`);

      const run = summarize(drifts);
      const floor = summarize(timers.drifts);
      const label = (p: string): string =>
        `a bare setTimeout per scheduled time, same process and window, lateness ${p}`;
      const what = `${sizes.jobs} jobs over ${sizes.windowMs / 1000} s, ${sizes.agents} agents`;
      return [
        ...(['p50', 'p99'] as const).map((p): Figure => ({
          scenario: 'chronos',
          figure: `start drift ${p} (scheduled -> RUN_TASK at agent), ${what}`,
          unit: 'ms',
          value: run[p],
          better: 'lower',
          limit: floor[p],
          limitLabel: label(p),
        })),
        {
          scenario: 'chronos',
          figure: `job creation per job (putScheduledJob), ${sizes.jobs} jobs`,
          unit: 'ms',
          value: createMs / sizes.jobs,
          better: 'lower',
        },
        {
          scenario: 'chronos',
          figure: `process CPU per run (master + agents + Chronos)`,
          unit: 'ms',
          value: (cpu.user + cpu.system) / 1000 / sizes.jobs,
          better: 'lower',
        },
      ];
    } finally {
      await chronos?.stop();
      await agents?.stop();
      await master.stop();
    }
  },
};
