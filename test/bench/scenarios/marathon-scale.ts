// Marathon at scale: a real master, simulated agents (../simulated-agents.ts)
// and Marathon, all in this process. An app is created with 0 instances,
// then scaled to 1,000 through the MarathonService; timed from the scale call
// until every instance is RUNNING at the master (the agents' TASK_RUNNING
// acknowledged, which the master forwards once it has recorded the state) and
// in Marathon's tasksRunning. The limit: the same launches by a bare SDK
// framework (./marathon-bare.ts) against the same master and agents, i.e. the
// control plane's own rate. CPU is the whole process's (master, agents and
// framework), per launched instance, for both.
import { Master, type MasterState } from '@mesocosm/master';
import { Marathon } from '@mesocosm/marathon';
import { TaskState, silentLogger } from '@mesocosm/protocol';
import { BenchError, withDeadline } from '../errors.js';
import { SimulatedAgents } from '../simulated-agents.js';
import type { BenchContext, Figure, Scenario } from '../types.js';
import { BareLauncher } from './marathon-bare.js';

const APP_ID = '/bench/scale';
const CPUS = 0.1;
const MEM = 32;
const COMMAND = 'sleep 3600';
const DEADLINE_MS = 120_000;

/** Elapsed time and process CPU of one launch of `count` instances. */
interface Run {
  ms: number;
  cpuMs: number;
}

/** Time and CPU of `start()` until `done()` resolves. */
async function timed(start: () => Promise<void> | void, done: () => Promise<void>): Promise<Run> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await start();
  await done();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Polls `check` (each turn of the event loop at most every `ms`) until true or the deadline. */
async function until(check: () => boolean, what: string, ms = 5): Promise<void> {
  const poll = async (): Promise<void> => {
    while (!check()) await new Promise<void>((r) => setTimeout(r, ms));
  };
  await withDeadline(poll(), DEADLINE_MS, what);
}

function runningAtMaster(master: Master, frameworkId: string | undefined): number {
  const state: MasterState = master.state();
  const fw = state.frameworks.find((f) => f.id === frameworkId);
  return (fw?.tasks ?? []).filter((t) => t.state === 'TASK_RUNNING').length;
}

async function bareRun(master: Master, agents: SimulatedAgents, count: number): Promise<Run> {
  const bare = await BareLauncher.start(master.grpcAddress, 'bench-bare-launcher');
  const before = agents.acknowledgedCount(TaskState.TASK_RUNNING);
  const requests = Array.from({ length: count }, (_, i) => ({
    taskId: `bare-${i}`,
    resources: `cpus:${CPUS};mem:${MEM}`,
    ports: 1,
    command: { value: COMMAND },
  }));
  const run = await timed(
    () => bare.launch(requests),
    () => agents.acknowledgedAtLeast(TaskState.TASK_RUNNING, before + count, DEADLINE_MS),
  );
  // The master kills the tasks; the agents' TASK_KILLED come back acknowledged by the master.
  const killed = agents.acknowledgedCount(TaskState.TASK_KILLED);
  await bare.teardown();
  await agents.acknowledgedAtLeast(TaskState.TASK_KILLED, killed + count, DEADLINE_MS);
  return run;
}

async function marathonRun(master: Master, agents: SimulatedAgents, count: number): Promise<Run> {
  const marathon = await Marathon.start({
    master: master.grpcAddress,
    http: false,
    hostname: '127.0.0.1',
    frameworkName: 'bench-marathon',
    logger: silentLogger,
  });
  try {
    await until(() => marathon.isLeader && marathon.frameworkId !== undefined, 'Marathon subscribed', 20);
    await marathon.service.createApp({ id: APP_ID, cmd: COMMAND, instances: 0, cpus: CPUS, mem: MEM });
    await until(() => marathon.service.deployments().length === 0, 'the 0-instance deployment', 20);
    const before = agents.acknowledgedCount(TaskState.TASK_RUNNING);
    const tasksRunning = (): number => Number(marathon.service.getApp(APP_ID)?.['tasksRunning'] ?? 0);
    const run = await timed(
      async () => void (await marathon.service.updateApp(APP_ID, { instances: count }, { partial: true })),
      async () => {
        await agents.acknowledgedAtLeast(TaskState.TASK_RUNNING, before + count, DEADLINE_MS);
        await until(() => tasksRunning() >= count, `${count} tasksRunning in Marathon`);
      },
    );
    const atMaster = runningAtMaster(master, marathon.frameworkId);
    if (atMaster !== count || tasksRunning() !== count)
      throw new BenchError(`expected ${count} RUNNING, the master has ${atMaster} and Marathon ${tasksRunning()}`);
    return run;
  } finally {
    await marathon.stop();
  }
}

export const marathonScaleScenario: Scenario = {
  name: 'marathon',
  description: 'Marathon scaling an app 0 -> 1,000 on simulated agents vs a bare SDK framework launching the same',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const agentCount = ctx.quick ? 20 : 100;
    const count = ctx.quick ? 200 : 1000;
    const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
    let agents: SimulatedAgents | undefined;
    try {
      ctx.progress(`${agentCount} simulated agents`);
      agents = await SimulatedAgents.start({ master: master.grpcAddress, count: agentCount });
      ctx.progress(`bare SDK framework: ${count} tasks`);
      const bare = await bareRun(master, agents, count);
      ctx.progress(`Marathon: app scaled 0 -> ${count}`);
      const mara = await marathonRun(master, agents, count);
      const label = `the same ${count} launches by a bare SDK framework (matchOffers), same master and agents`;
      const figure = (what: string): string => `${what}, 0 -> ${count} on ${agentCount} agents`;
      return [
        {
          scenario: 'marathon',
          figure: figure('time to all RUNNING'),
          unit: 'ms',
          value: mara.ms,
          better: 'lower',
          limit: bare.ms,
          limitLabel: label,
        },
        {
          scenario: 'marathon',
          figure: figure('instances/s'),
          unit: 'tasks/s',
          value: count / (mara.ms / 1000),
          better: 'higher',
          limit: count / (bare.ms / 1000),
          limitLabel: label,
        },
        {
          scenario: 'marathon',
          figure: `process CPU per instance (master + agents + Marathon)`,
          unit: 'ms',
          value: mara.cpuMs / count,
          better: 'lower',
          limit: bare.cpuMs / count,
          limitLabel: label,
        },
      ];
    } finally {
      await agents?.stop();
      await master.stop();
    }
  },
};
