// cgroups v2 isolation: one cgroup per task under the agent's own:
// `<own>/mesocosm/<container-id>` with memory.max, memory.swap.max,
// cpu.weight and cpu.max.
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

/** See the file comment. */
export class CgroupsV2Isolator implements Isolator {
  readonly name = 'cgroups-v2';

  /** `root` is `<own cgroup>/mesocosm`, with memory (and cpu) enabled in its subtree_control. */
  constructor(
    readonly reason: string,
    private readonly root: string,
    private readonly hasCpu: boolean,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async prepare(containerId: string, limits: ContainerLimits): Promise<Container> {
    const dir = join(this.root, containerId);
    await makeCgroup(dir);
    if (limits.memMb !== undefined) {
      await writeControl(dir, 'memory.max', String(Math.floor(limits.memMb * MB)));
      if (await hasFile(dir, 'memory.swap.max')) await writeControl(dir, 'memory.swap.max', '0');
    }
    if (this.hasCpu && limits.cpus !== undefined && limits.cpus > 0) {
      // cpu.weight 100 is the default share, as cpu.shares 1024 in v1.
      await writeControl(dir, 'cpu.weight', String(Math.min(10_000, Math.max(1, Math.round(100 * limits.cpus)))));
      const quota = Math.max(1000, Math.round(CFS_PERIOD_US * limits.cpus));
      await writeControl(dir, 'cpu.max', `${quota} ${CFS_PERIOD_US}`);
    }
    return new V2Container(dir, limits, this.clock, this.logger);
  }
}

class V2Container implements Container {
  private readonly poller: LimitPoller;

  constructor(
    private readonly dir: string,
    private readonly limits: ContainerLimits,
    private readonly clock: Clock,
    logger: Logger,
  ) {
    this.poller = new LimitPoller({
      clock,
      intervalMs: OOM_POLL_MS,
      check: () => this.limitation(),
      onError: (err) => logger.warn('cannot read memory.events', { error: String(err) }),
      continueOnError: false,
    });
  }

  wrap(cmd: CommandLine): CommandLine {
    const procs = join(this.dir, 'cgroup.procs');
    return {
      file: '/bin/sh',
      args: ['-c', ENTER_CGROUP_SCRIPT, 'mesocosm-cgroup', procs, '--', cmd.file, ...cmd.args],
    };
  }

  watch(_pid: number, onLimit: (limitation: Limitation) => void): void {
    if (this.limits.memMb !== undefined) this.poller.start(onLimit);
  }

  release(): void {
    this.poller.stop();
  }

  async limitation(): Promise<Limitation | undefined> {
    if (this.limits.memMb === undefined) return undefined;
    const kills = counter(await readControl(this.dir, 'memory.events'), 'oom_kill') ?? 0;
    if (kills === 0) return undefined;
    return {
      reason: TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY,
      message: memoryLimitMessage(this.limits.memMb, `the OOM killer killed ${kills} process(es)`),
    };
  }

  async cleanup(): Promise<void> {
    this.poller.stop();
    await destroyCgroup(this.dir, this.clock);
  }
}
