// Offer latency: from an agent's resources being freed (its task's
// TASK_FINISHED written to the master) to the framework receiving the offer
// of that agent, p50 and p99. A master (child process), 1,000 simulated
// agents and one framework in the bench process that keeps every agent busy
// with one whole-agent task, each running 1 to 3 s: about 500 agents freed
// and offered again per second. Against the round trip of one message
// through a bare grpc-js server (child process) in the same run: the two
// hops (agent -> master -> framework) that the offer's path takes at least.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BenchError } from '../errors.js';
import { percentile } from '../stats.js';
import { FlowFramework } from '../support/flow-framework.js';
import { startMasterProcess } from '../support/master-process.js';
import { loadAverage } from '../support/proc-stats.js';
import { echoLatencies, startRawServerProcess } from '../support/raw-echo.js';
import { SimulatedAgents } from '../simulated-agents.js';
import { TaskState } from '@mesocosm/protocol';
import type { BenchContext, Figure, Scenario } from '../types.js';

const AGENTS = 1000;
const RUN_MIN_MS = 1000;
const RUN_MAX_MS = 3000;
/** Samples taken before this long after the first launch are dropped (warm-up). */
const WARMUP_MS = 3000;

async function offerLatencies(
  ctx: BenchContext,
  measureMs: number,
): Promise<{ samples: number[]; updates: number[]; masterCpuMs: number }> {
  const master = await startMasterProcess({ name: 'offer-latency', flags: ['--offer_timeout', '0ms'] });
  const freedAt = new Map<string, number>();
  const samples: number[] = [];
  /** FINISHED written by the agent, by task: to time the same update's arrival at the framework. */
  const sentAt = new Map<string, number>();
  const updates: number[] = [];
  let measuring = false;
  let agents: SimulatedAgents | undefined;
  let framework: FlowFramework | undefined;
  try {
    ctx.progress(`offer-latency: ${AGENTS} simulated agents registering`);
    agents = await SimulatedAgents.start({
      master: master.grpc,
      count: AGENTS,
      runMs: () => RUN_MIN_MS + Math.random() * (RUN_MAX_MS - RUN_MIN_MS),
      onUpdateSent: (agentId, taskId, state, atMs) => {
        if (state !== TaskState.TASK_FINISHED) return;
        freedAt.set(agentId, atMs);
        sentAt.set(taskId, atMs);
      },
    });
    ctx.progress(`offer-latency: one whole-agent task per agent, ${RUN_MIN_MS}-${RUN_MAX_MS} ms each`);
    framework = await FlowFramework.start({
      master: master.grpc,
      name: 'offer-latency',
      tasks: Number.MAX_SAFE_INTEGER,
      taskResources: 'cpus:16;mem:65536',
      prefix: 't',
      onTerminal: (status, atMs) => {
        const taskId = status.taskId?.value ?? '';
        const sent = sentAt.get(taskId);
        sentAt.delete(taskId);
        if (measuring && sent !== undefined) updates.push(atMs - sent);
      },
      onOffer: (offer, atMs) => {
        const agentId = offer.agentId?.value ?? '';
        const freed = freedAt.get(agentId);
        if (freed === undefined) return;
        freedAt.delete(agentId);
        if (measuring) samples.push(atMs - freed);
      },
    });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const cpu0 = await master.cpuMs();
    const benchCpu0 = process.cpuUsage();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    measuring = true;
    ctx.progress(`offer-latency: measuring for ${measureMs / 1000} s`);
    await new Promise((r) => setTimeout(r, measureMs));
    measuring = false;
    loopDelay.disable();
    const masterCpuMs = (await master.cpuMs()) - cpu0;
    const benchCpu = process.cpuUsage(benchCpu0);
    ctx.note(
      `master busy ${((100 * masterCpuMs) / measureMs).toFixed(0)}% of a core, bench process (agents + framework) ${((benchCpu.user + benchCpu.system) / 10 / measureMs).toFixed(0)}%, ` +
        `its event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`,
    );
    if (samples.length < 100)
      throw new BenchError(`only ${samples.length} offers of freed agents arrived in ${measureMs} ms`);
    return { samples, updates, masterCpuMs };
  } finally {
    await framework?.stop();
    await agents?.stop();
    await master.stop();
  }
}

export const offerLatencyScenario: Scenario = {
  name: 'offer-latency',
  description: `task finished at the agent -> offer of its agent at the framework, ${AGENTS} simulated agents, vs a bare grpc-js round trip`,
  async run(ctx: BenchContext): Promise<Figure[]> {
    const raw = await startRawServerProcess();
    let rtt: number[];
    let run: Awaited<ReturnType<typeof offerLatencies>>;
    try {
      const n = ctx.quick ? 200 : 500;
      // The machine is shared: half the round trips before the run, half after.
      rtt = await echoLatencies(raw.address, n);
      run = await offerLatencies(ctx, ctx.quick ? 3_000 : 10_000);
      rtt.push(...(await echoLatencies(raw.address, n)));
    } finally {
      await raw.stop();
    }
    const { samples } = run;
    const perSecond = samples.length / ((ctx.quick ? 3_000 : 10_000) / 1000);
    ctx.note(
      `${samples.length} offers of freed agents (${perSecond.toFixed(0)}/s); master CPU ${(run.masterCpuMs / samples.length).toFixed(3)} ms per freed-and-offered agent; load average ${(await loadAverage()).toFixed(2)}`,
    );
    const row = (p: number): Figure => ({
      scenario: 'offer-latency',
      figure: `task FINISHED -> offer at the framework p${p}, ${AGENTS} agents, ~${perSecond.toFixed(0)} freed/s`,
      unit: 'ms',
      value: percentile(samples, p),
      better: 'lower',
      limit: percentile(rtt, p),
      limitLabel: `bare grpc-js round trip (one call, one event) to a child process, p50/p99 of ${rtt.length}`,
    });
    const updateRow = (p: number): Figure => ({
      scenario: 'offer-latency',
      figure: `task FINISHED -> its UPDATE at the framework p${p} (same path, no allocation)`,
      unit: 'ms',
      value: percentile(run.updates, p),
      better: 'lower',
      limit: percentile(rtt, p),
    });
    return [row(50), row(99), updateRow(50), updateRow(99)];
  },
};
