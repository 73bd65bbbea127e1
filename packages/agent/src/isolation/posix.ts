// Posix isolation: no kernel limits; the agent polls the resident memory of
// the task's process group and kills the group when it goes over its limit.
import { TaskStatusReason, type Clock, type Logger } from '@mesocosm/protocol';
import type { CommandLine } from '../executors/command-line.js';
import {
  memoryLimitMessage,
  type Container,
  type ContainerLimits,
  type Isolator,
  type Limitation,
} from './isolator.js';
import { processGroupRssBytes } from './proc-stat.js';
import { LimitPoller } from './limit-poller.js';

const MB = 1024 * 1024;

/** See the file comment. */
export class PosixIsolator implements Isolator {
  readonly name = 'posix';

  constructor(
    readonly reason: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pollMs = 500,
  ) {}

  prepare(_containerId: string, limits: ContainerLimits): Promise<Container> {
    return Promise.resolve(new PosixContainer(limits, this.clock, this.logger, this.pollMs));
  }
}

class PosixContainer implements Container {
  private poller: LimitPoller | undefined;
  private hit: Limitation | undefined;

  constructor(
    private readonly limits: ContainerLimits,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  wrap(cmd: CommandLine): CommandLine {
    return cmd;
  }

  watch(pid: number, onLimit: (limitation: Limitation) => void): void {
    const memMb = this.limits.memMb;
    if (memMb === undefined) return;
    this.poller = new LimitPoller({
      clock: this.clock,
      intervalMs: this.pollMs,
      check: async () => {
        const rss = await processGroupRssBytes(pid);
        if (rss <= memMb * MB) return undefined;
        this.hit = {
          reason: TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY,
          message: memoryLimitMessage(memMb, `resident memory ${Math.round(rss / MB)} MB`),
        };
        return this.hit;
      },
      onError: (err) => this.logger.warn('cannot read process memory', { pid, error: String(err) }),
      continueOnError: true,
    });
    this.poller.start(onLimit);
  }

  release(): void {
    this.poller?.stop();
  }

  limitation(): Promise<Limitation | undefined> {
    return Promise.resolve(this.hit);
  }

  cleanup(): Promise<void> {
    this.poller?.stop();
    return Promise.resolve();
  }
}
