// cgroups v1 isolation: a memory cgroup (and a cpu cgroup when that
// controller is mounted) per task, under the agent's own cgroup:
// `<own>/mesocosm/<container-id>`.
import { join } from 'node:path';
import { TaskStatusReason, type Clock, type Logger } from '@mesocosm/protocol';
import type { CommandLine } from '../executors/command-line.js';
import {
  counter,
  destroyCgroup,
  ENTER_CGROUP_SCRIPT,
  hasFile,
  makeCgroup,
  readControl,
  writeControl,
} from './cgroup-fs.js';
import {
  memoryLimitMessage,
  type Container,
  type ContainerLimits,
  type Isolator,
  type Limitation,
} from './isolator.js';
import { LimitPoller } from './limit-poller.js';

const MB = 1024 * 1024;
const CFS_PERIOD_US = 100_000;
const OOM_POLL_MS = 250;

/** Where the v1 hierarchies of the agent's cgroups are. */
export interface V1Roots {
  /** `<memory mount>/<own path>/mesocosm`. */
  readonly memory: string;
  /** `<cpu mount>/<own path>/mesocosm`, when the cpu controller is mounted. */
  readonly cpu?: string;
}

/** See the file comment. */
export class CgroupsV1Isolator implements Isolator {
  readonly name = 'cgroups-v1';

  constructor(
    readonly reason: string,
    private readonly roots: V1Roots,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async prepare(containerId: string, limits: ContainerLimits): Promise<Container> {
    const memory = join(this.roots.memory, containerId);
    const cpu = this.roots.cpu === undefined ? undefined : join(this.roots.cpu, containerId);
    await makeCgroup(memory);
    if (limits.memMb !== undefined) {
      const bytes = String(Math.floor(limits.memMb * MB));
      // memory.limit_in_bytes first: memsw must never be below it.
      await writeControl(memory, 'memory.limit_in_bytes', bytes);
      if (await hasFile(memory, 'memory.memsw.limit_in_bytes'))
        await writeControl(memory, 'memory.memsw.limit_in_bytes', bytes);
    }
    if (cpu !== undefined) {
      await makeCgroup(cpu);
      if (limits.cpus !== undefined && limits.cpus > 0) {
        await writeControl(cpu, 'cpu.shares', String(Math.max(2, Math.round(1024 * limits.cpus))));
        await writeControl(cpu, 'cpu.cfs_period_us', String(CFS_PERIOD_US));
        const quota = Math.max(1000, Math.round(CFS_PERIOD_US * limits.cpus));
        await writeControl(cpu, 'cpu.cfs_quota_us', String(quota));
      }
    }
    return new V1Container(memory, cpu, limits, this.clock, this.logger);
  }
}

class V1Container implements Container {
  private readonly poller: LimitPoller;

  constructor(
    private readonly memory: string,
    private readonly cpu: string | undefined,
    private readonly limits: ContainerLimits,
    private readonly clock: Clock,
    logger: Logger,
  ) {
    this.poller = new LimitPoller({
      clock,
      intervalMs: OOM_POLL_MS,
      check: () => this.oomLimitation(),
      onError: (err) => logger.warn('cannot read memory.oom_control', { error: String(err) }),
      continueOnError: false,
    });
  }

  wrap(cmd: CommandLine): CommandLine {
    const procs = [join(this.memory, 'cgroup.procs')];
    if (this.cpu !== undefined) procs.push(join(this.cpu, 'cgroup.procs'));
    return {
      file: '/bin/sh',
      args: ['-c', ENTER_CGROUP_SCRIPT, 'mesocosm-cgroup', ...procs, '--', cmd.file, ...cmd.args],
    };
  }

  // The OOM killer may kill one process of the task (e.g. one side of a
  // pipe) and leave the rest running: as Mesos, a task that hit its limit is
  // stopped as a whole, so the counter is polled while it runs.
  watch(_pid: number, onLimit: (limitation: Limitation) => void): void {
    if (this.limits.memMb !== undefined) this.poller.start(onLimit);
  }

  release(): void {
    this.poller.stop();
  }

  async limitation(): Promise<Limitation | undefined> {
    return this.limits.memMb === undefined ? undefined : this.oomLimitation();
  }

  private async oomLimitation(): Promise<Limitation | undefined> {
    const memMb = this.limits.memMb ?? 0;
    const oomControl = await readControl(this.memory, 'memory.oom_control');
    const kills = counter(oomControl, 'oom_kill');
    if (kills !== undefined) {
      if (kills === 0) return undefined;
      return {
        reason: TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY,
        message: memoryLimitMessage(memMb, `the OOM killer killed ${kills} process(es)`),
      };
    }
    // Older kernels have no oom_kill counter: being under OOM is the sign.
    if (counter(oomControl, 'under_oom') === 1) {
      return {
        reason: TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY,
        message: memoryLimitMessage(memMb, 'the cgroup is out of memory'),
      };
    }
    return undefined;
  }

  async cleanup(): Promise<void> {
    this.poller.stop();
    await destroyCgroup(this.memory, this.clock);
    if (this.cpu !== undefined) await destroyCgroup(this.cpu, this.clock);
  }
}
