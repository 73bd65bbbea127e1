// Master memory at scale: a master (child process, so that its VmRSS is its
// own; every reading follows a full garbage collection through its
// inspector) with 10,000 simulated agents and 100,000 running tasks (1,000 and
// 10,000 with --quick). RSS per agent and per task against the size of the
// same records as plain JSON (their share of GET /master/state), and the
// latency of GET /master/state at that size against serializing the same
// document in this process (JSON.stringify: the least a state endpoint does):
// each GET from a client process of its own (support/http-get.ts), with the
// master's CPU time over each.
import { TaskState } from '@mesocosm/protocol';
import { BenchError, withDeadline } from '../errors.js';
import { median } from '../stats.js';
import { FlowFramework } from '../support/flow-framework.js';
import { timedGet } from '../support/http-get.js';
import { collectGarbage, INSPECT_FLAG, inspectorUrlOf } from '../support/inspector-gc.js';
import { startMasterProcess, type MasterProcess } from '../support/master-process.js';
import { loadAverage } from '../support/proc-stats.js';
import { SimulatedAgents } from '../simulated-agents.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

const KIB = 1024;
const MIB = 1024 * 1024;

/** The state document's parts whose size stands for an agent and a task. */
interface StateDoc {
  slaves?: unknown[];
  frameworks?: Array<{ tasks?: unknown[] }>;
}

/** VmRSS after a full garbage collection: the lowest of a few reads (5, 3 with --quick) a moment apart. */
async function settledRss(master: MasterProcess, inspector: string, quick: boolean): Promise<number> {
  await collectGarbage(inspector);
  let low = Infinity;
  for (let i = 0; i < (quick ? 3 : 5); i++) {
    await new Promise((r) => setTimeout(r, quick ? 250 : 400));
    low = Math.min(low, await master.rss());
  }
  return low;
}

/** The master's V8 heap in use and its external memory (Buffers), MiB, from its Prometheus metrics. */
async function heapMiB(url: string): Promise<{ heap: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string): number => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
    return m ? Number(m[1]) / MIB : NaN;
  };
  return { heap: metric('nodejs_heap_size_used_bytes'), external: metric('nodejs_external_memory_bytes') };
}

/** GET /master/state `n` times. */
interface StateGets {
  /** Request to the last byte, ms, from a client process of its own. */
  ms: number[];
  /** Request to the response's headers (the master sends them once the document is written), ms. */
  headersMs: number[];
  /** The master's CPU time (user + system) over each request, ms. */
  masterCpuMs: number[];
  bytes: number;
  doc: StateDoc;
}

async function getState(master: MasterProcess, n: number): Promise<StateGets> {
  const out: StateGets = { ms: [], headersMs: [], masterCpuMs: [], bytes: 0, doc: {} };
  const url = `${master.http}/master/state`;
  for (let i = 0; i < n; i++) {
    const cpu0 = await master.cpuMs();
    const got = await timedGet(url);
    out.masterCpuMs.push((await master.cpuMs()) - cpu0);
    out.ms.push(got.ms);
    out.headersMs.push(got.headersMs);
    out.bytes = got.bytes;
  }
  // Once more, untimed, for the document itself (the records' sizes, the limit).
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new BenchError(`GET /master/state answered ${res.status}: ${text.slice(0, 200)}`);
  out.doc = JSON.parse(text) as StateDoc;
  return out;
}

export const memoryScenario: Scenario = {
  name: 'memory',
  description: 'master RSS per agent and per task, and GET /master/state, at 10,000 agents / 100,000 tasks',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const agentCount = ctx.quick ? 1_000 : 10_000;
    const taskCount = agentCount * 10;
    let inspector = '';
    const master = await startMasterProcess({
      name: 'memory',
      flags: ['--offer_timeout', '0ms'],
      nodeArgs: [INSPECT_FLAG],
      onStderr: (line) => (inspector ||= inspectorUrlOf(line) ?? ''),
    });
    if (!inspector) {
      await master.stop('SIGKILL');
      throw new BenchError('the master printed no inspector URL: cannot collect its garbage before reading its RSS');
    }
    let agents: SimulatedAgents | undefined;
    let framework: FlowFramework | undefined;
    try {
      const base = await settledRss(master, inspector, ctx.quick);
      const heap0 = await heapMiB(master.http);
      ctx.progress(`memory: ${agentCount} simulated agents registering`);
      agents = await SimulatedAgents.start({ master: master.grpc, count: agentCount, registerTimeoutMs: 180_000 });
      ctx.progress(`memory: ${agentCount} agents registered; RSS after a full collection`);
      const withAgents = await settledRss(master, inspector, ctx.quick);
      const heap1 = await heapMiB(master.http);
      ctx.progress(`memory: ${taskCount} tasks launched (10 per agent), running until the end`);
      framework = await FlowFramework.start({
        master: master.grpc,
        name: 'memory',
        tasks: taskCount,
        taskResources: 'cpus:1;mem:1024',
        prefix: 'mem-',
      });
      await agents.acknowledgedAtLeast(TaskState.TASK_RUNNING, taskCount, 300_000);
      ctx.progress(`memory: ${taskCount} tasks running; RSS after a full collection`);
      const withTasks = await settledRss(master, inspector, ctx.quick);
      const heap = await heapMiB(master.http);
      ctx.progress('memory: GET /master/state');
      // The master's own CPU use meanwhile (pings of 10,000 agents, its periodic work), per second.
      const idleCpu0 = await master.cpuMs();
      await new Promise((r) => setTimeout(r, 2000));
      const backgroundCpu = ((await master.cpuMs()) - idleCpu0) / 2;
      const state = await withDeadline(getState(master, ctx.quick ? 3 : 5), 120_000, 'GET /master/state');
      await collectGarbage(inspector);
      const heapAfterGets = await heapMiB(master.http);
      const agentJson = JSON.stringify(state.doc.slaves ?? []).length / agentCount;
      const taskJson =
        (state.doc.frameworks ?? []).reduce((n, f) => n + JSON.stringify(f.tasks ?? []).length, 0) / taskCount;
      const stringify: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        JSON.stringify(state.doc);
        stringify.push(performance.now() - start);
      }
      ctx.note(
        `RSS idle ${(base / MIB).toFixed(0)} MiB, with agents ${(withAgents / MIB).toFixed(0)} MiB, with tasks ${(withTasks / MIB).toFixed(0)} MiB; ` +
          `V8 heap used ${heap0.heap.toFixed(0)} / ${heap1.heap.toFixed(0)} / ${heap.heap.toFixed(0)} MiB (${heapAfterGets.heap.toFixed(0)} MiB after the GETs), external ${heap0.external.toFixed(0)} / ${heap1.external.toFixed(0)} / ${heap.external.toFixed(0)} MiB (idle / agents / tasks); ` +
          `/master/state ${(state.bytes / MIB).toFixed(1)} MiB, GETs ${state.ms.map((m) => m.toFixed(0)).join(' / ')} ms ` +
          `(headers after ${state.headersMs.map((m) => m.toFixed(0)).join(' / ')} ms; master CPU ${state.masterCpuMs.map((m) => m.toFixed(0)).join(' / ')} ms, ` +
          `besides ${backgroundCpu.toFixed(0)} ms/s of its own background work); ` +
          `load average ${(await loadAverage()).toFixed(2)}`,
      );
      const sizes = `${agentCount} agents, ${taskCount} tasks`;
      return [
        {
          scenario: 'memory',
          figure: `master RSS per agent (${agentCount} agents, no tasks)`,
          unit: 'KiB',
          value: (withAgents - base) / agentCount / KIB,
          better: 'lower',
          limit: agentJson / KIB,
          limitLabel: 'the same records as plain JSON: their share of GET /master/state',
        },
        {
          scenario: 'memory',
          figure: `master RSS per running task (${taskCount} tasks)`,
          unit: 'KiB',
          value: (withTasks - withAgents) / taskCount / KIB,
          better: 'lower',
          limit: taskJson / KIB,
        },
        {
          scenario: 'memory',
          figure: `master V8 heap in use per agent`,
          unit: 'KiB',
          value: ((heap1.heap - heap0.heap) * MIB) / agentCount / KIB,
          better: 'lower',
          limit: agentJson / KIB,
        },
        {
          scenario: 'memory',
          figure: `master V8 heap in use per running task`,
          unit: 'KiB',
          value: ((heap.heap - heap1.heap) * MIB) / taskCount / KIB,
          better: 'lower',
          limit: taskJson / KIB,
        },
        {
          scenario: 'memory',
          figure: `master RSS, ${sizes}`,
          unit: 'MiB',
          value: withTasks / MIB,
          better: 'lower',
          limit: state.bytes / MIB,
          limitLabel: 'the bytes of GET /master/state at that size',
        },
        {
          scenario: 'memory',
          figure: `GET /master/state, ${sizes} (p50 of ${state.ms.length})`,
          unit: 'ms',
          value: median(state.ms),
          better: 'lower',
          limit: median(stringify),
          limitLabel: 'JSON.stringify of the same document in the bench process, p50',
        },
      ];
    } finally {
      await framework?.stop().catch(() => {});
      await agents?.stop();
      await master.stop();
    }
  },
};
