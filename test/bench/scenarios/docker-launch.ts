// Docker task launch through a real master and agent (in this process) and
// the SDK's SchedulerDriver: ACCEPT sent -> TASK_RUNNING / TASK_FINISHED for
// `true` in mesocosm-busybox:latest, one task at a time, against a bare
// dockerode create + start + wait of the same image and command; and the
// throughput of a batch on an agent that holds CONCURRENCY tasks at once,
// against bare runs with the same concurrency. Skipped, with a note, when no
// Docker engine is available.
import type { TaskRequest } from '@mesocosm/framework-sdk';
import { v1 } from '@mesocosm/protocol';
import type Dockerode from 'dockerode';
import { summarize, type Summary } from '../stats.js';
import { BenchFramework } from '../support/bench-framework.js';
import { startBenchCluster } from '../support/cluster.js';
import { loadDockerEngineModule } from '../support/internal-modules.js';
import { batchThroughput, sequentialLaunches } from '../support/launch-latency.js';
import { pooledRate } from '../support/pooled-rate.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

const COMMAND = 'true';
const WARM_UP = 3;
const TASK = 'cpus:0.1;mem:32';
/** Memory for CONCURRENCY tasks of TASK at once: the bare runs get the same concurrency. */
const AGENT = 'cpus:4;mem:256;disk:8192;ports:[31000-31099]';
const CONCURRENCY = 8;

/** ms from createContainer() to the end of wait(); the container is removed after (not timed). */
async function bareRun(docker: Dockerode, image: string): Promise<number> {
  const start = performance.now();
  // Host networking: what the agent gives a task that asks for no network.
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['/bin/sh', '-c', COMMAND],
    HostConfig: { NetworkMode: 'host' },
  });
  try {
    await container.start();
    await container.wait();
    return performance.now() - start;
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}

async function bareRuns(docker: Dockerode, image: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await bareRun(docker, image));
  return out;
}

function request(prefix: string, image: string): (i: number) => TaskRequest {
  return (i) => ({
    taskId: `${prefix}-${process.pid}-${i}`,
    resources: TASK,
    command: { value: COMMAND },
    container: { type: v1.ContainerInfo.Type.DOCKER, docker: { image } },
  });
}

function figures(what: string, s: Summary, bare: Summary): Figure[] {
  return (['p50', 'p99'] as const).map((p) => ({
    scenario: 'docker',
    figure: `ACCEPT->${what} ${p} (n=${s.n})`,
    unit: 'ms',
    value: s[p],
    better: 'lower',
    limit: bare[p],
    limitLabel: `bare dockerode create + start + wait of the same image and command, ${p}`,
  }));
}

export const dockerLaunchScenario: Scenario = {
  name: 'docker',
  description: `Docker task 'true' via master + agent + SDK vs a bare dockerode create+start+wait`,
  async run(ctx: BenchContext): Promise<Figure[]> {
    const engineModule = await loadDockerEngineModule();
    ctx.progress('finding or starting a Docker engine');
    const engine = await engineModule.ensureDockerEngine();
    if ('missing' in engine) {
      ctx.note(`skipped: no Docker engine (${engine.missing})`);
      return [];
    }
    try {
      const samples = ctx.quick ? 10 : 60;
      const batch = ctx.quick ? 16 : 48;
      const { docker, image } = engine;
      ctx.progress(`bare dockerode: ${samples} runs, ${batch} at ${CONCURRENCY} at a time`);
      await bareRuns(docker, image, WARM_UP);
      const bare = summarize(await bareRuns(docker, image, samples));
      const bareRate = await pooledRate(batch, CONCURRENCY, () => bareRun(docker, image));

      ctx.progress(`agent Docker executor: ${samples} tasks one at a time, ${batch} at once`);
      const cluster = await startBenchCluster([{ resources: AGENT, docker: { socketPath: engine.socketPath } }]);
      const fw = await BenchFramework.start(cluster.masterGrpc, 'bench-docker');
      try {
        await sequentialLaunches(fw, WARM_UP, request('docker-warm', image));
        const latencies = await sequentialLaunches(fw, samples, request('docker', image));
        const rate = await batchThroughput(fw, batch, request('docker-batch', image));
        return [
          ...figures('RUNNING', summarize(latencies.running), bare),
          ...figures('FINISHED', summarize(latencies.finished), bare),
          {
            scenario: 'docker',
            figure: `throughput, ${batch} tasks, ${CONCURRENCY} at a time on 1 agent`,
            unit: 'tasks/s',
            value: rate,
            better: 'higher',
            limit: bareRate,
            limitLabel: `bare dockerode create + start + wait + remove, ${CONCURRENCY} at a time`,
          },
        ];
      } finally {
        await fw.stop();
        await cluster.stop();
      }
    } finally {
      await engineModule.releaseDockerEngine();
    }
  },
};
