// Chronos at scale: a real master, simulated agents (../simulated-agents.ts)
// and Chronos with its REST API, all in this process. 10,000 one-shot jobs
// (R1) are created over HTTP, their scheduled times spread evenly over a
// window (100 runs/s); each task reports TASK_FINISHED right after
// TASK_RUNNING. Measured: the job API's latency while the job count grows to
// 10,000 (limit: a bare node:http server answering the same requests in the
// same process), the start-time drift (the RUN_TASK's arrival at the
// simulated agent minus the run's scheduled time, read from Chronos' task ID)
// and the process CPU per run. The drift's limit: a bare setTimeout per
// scheduled time, armed in the same process over the same window (so under
// the same load): the least any in-process scheduler could achieve here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Chronos, parseTaskId } from '@mesocosm/chronos';
import { Master } from '@mesocosm/master';
import { TaskState, silentLogger } from '@mesocosm/protocol';
import { BenchError, withDeadline } from '../errors.js';
import { SimulatedAgents, wallNowMs } from '../simulated-agents.js';
import { summarize } from '../stats.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

const FRAMEWORK = 'bench-chronos';
/** Creation time budgeted per job (one HTTP POST), ms: the window opens after every job is created. */
const PUT_BUDGET_MS = 3;
const SLACK_MS = 4_000;
/** GET requests timed against the full job set. */
const READS = 500;

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

/** Times one request; throws on an unexpected status (a benchmark of failures is no benchmark). */
async function timed(url: string, init: RequestInit, expect: number): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== expect)
    throw new BenchError(`${init.method ?? 'GET'} ${url} answered ${res.status}, not ${expect}`);
  return ms;
}

/** A bare node:http server that reads the body and answers 204: the HTTP floor of the same requests. */
async function bareServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function until(check: () => boolean, what: string, deadlineMs: number): Promise<void> {
  const poll = async (): Promise<void> => {
    while (!check()) await new Promise<void>((r) => setTimeout(r, 20));
  };
  await withDeadline(poll(), deadlineMs, what);
}

export const chronosJobsScenario: Scenario = {
  name: 'chronos',
  description:
    'Chronos with 10,000 scheduled jobs on simulated agents: job API latency vs bare HTTP, start drift vs bare setTimeout',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const sizes: Sizes = ctx.quick
      ? { jobs: 500, agents: 20, windowMs: 5_000 }
      : { jobs: 10_000, agents: 100, windowMs: 50_000 }; // 200 runs due per second
    const drifts: number[] = [];
    const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
    let agents: SimulatedAgents | undefined;
    let chronos: Chronos | undefined;
    const bare = await bareServer();
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
        httpHost: '127.0.0.1',
        httpPort: 0,
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
      ctx.progress(`${sizes.jobs} jobs due over ${sizes.windowMs / 1000} s, created over HTTP`);
      const post = (i: number, t: number): RequestInit => ({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `bench-${i}`,
          command: 'true',
          schedule: `R1/${isoAt(t)}/PT1H`,
          cpus: 0.01,
          mem: 16,
          disk: 0,
        }),
      });
      const api = `${c.url}/v1/scheduler`;
      const posts: number[] = [];
      const barePosts: number[] = [];
      const createStart = performance.now();
      for (const [i, t] of times.entries()) {
        posts.push(await timed(`${api}/iso8601`, post(i, t), 204));
        // Every 10th job, the same request to the bare server: the floor, interleaved so it shares the load.
        if (i % 10 === 0) barePosts.push(await timed(`${bare.url}/v1/scheduler/iso8601`, post(i, t), 204));
      }
      const createMs = performance.now() - createStart;
      if (wallNowMs() > windowStart - 200)
        throw new BenchError(
          `creating ${sizes.jobs} jobs took ${Math.round(createMs)} ms, past the window's start: raise PUT_BUDGET_MS`,
        );
      const gets: number[] = [];
      const bareGets: number[] = [];
      for (let r = 0; r < READS; r++) {
        const i = (r * 7919) % sizes.jobs;
        gets.push(await timed(`${api}/job/bench-${i}`, { method: 'GET' }, 200));
        bareGets.push(await timed(`${bare.url}/v1/scheduler/job/bench-${i}`, { method: 'GET' }, 204));
      }
      if (wallNowMs() > windowStart - 200)
        throw new BenchError(`timing ${READS} reads ran past the window's start: raise SLACK_MS`);
      const timers = timerDrifts(times);
      await new Promise<void>((r) => setTimeout(r, Math.max(0, windowStart - wallNowMs())));
      const cpu0 = process.cpuUsage();
      await agents.acknowledgedAtLeast(TaskState.TASK_FINISHED, sizes.jobs, sizes.windowMs + 120_000);
      const cpu = process.cpuUsage(cpu0);
      await withDeadline(timers.all, 10_000, 'the bare timers');
      if (drifts.length !== sizes.jobs)
        throw new BenchError(`expected ${sizes.jobs} first attempts at the agents, got ${drifts.length}`);

      const postS = summarize(posts);
      const barePostS = summarize(barePosts);
      const getS = summarize(gets);
      const bareGetS = summarize(bareGets);
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
        ...(['p50', 'p99'] as const).map((p): Figure => ({
          scenario: 'chronos',
          figure: `job API: POST /v1/scheduler/iso8601 ${p}, 0 -> ${sizes.jobs} jobs`,
          unit: 'ms',
          value: postS[p],
          better: 'lower',
          limit: barePostS[p],
          limitLabel: `the same POST to a bare node:http server in the same process, ${p}`,
        })),
        {
          scenario: 'chronos',
          figure: `job API: GET /v1/scheduler/job/NAME p99 at ${sizes.jobs} jobs`,
          unit: 'ms',
          value: getS.p99,
          better: 'lower',
          limit: bareGetS.p99,
          limitLabel: 'the same GET to a bare node:http server in the same process, p99',
        },
        {
          scenario: 'chronos',
          figure: `job creation over HTTP, wall time per job, ${sizes.jobs} jobs`,
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
      await new Promise<void>((r) => bare.server.close(() => r()));
    }
  },
};
