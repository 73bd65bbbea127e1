// The Docker executor: runs a task's Docker ContainerInfo through the
// engine (pull policy, create, start), follows its logs into the sandbox,
// kills it with a grace period, and reports how it ended.
import { basename } from 'node:path';
import { Resources, TaskState, TaskStatusReason, type Clock, type Logger, type TimerHandle } from '@mesocosm/protocol';
import type Dockerode from 'dockerode';
import { containerSpec } from '../docker/container-spec.js';
import { dockerErrorText, type DockerEngine } from '../docker/docker-engine.js';
import { dockerTerminalStatus, type ContainerExit } from '../docker/exit-status.js';
import { followLogs, forgetLogPosition } from '../docker/log-pump.js';
import { setDockerContainer } from '../docker/task-containers.js';
import type { TaskRecord } from '../tasks/task-book.js';
import type { StatusChange, TaskExecutor } from './executor.js';
import { handOverSandbox, requireUser, type UserAccount } from './run-as-user.js';

/** How long the logs may take to drain once the container has stopped. */
const LOG_DRAIN_MS = 5_000;

/** What the Docker executor gets to run (or re-attach to) one task. */
export interface DockerExecutorContext {
  readonly record: TaskRecord;
  readonly engine: DockerEngine;
  readonly agentId: string;
  readonly workDir: string;
  /** The agent's advertised address (HOST in the container's environment). */
  readonly host: string;
  /** The host user the container runs as (`--switch_user`); the image's user when undefined. */
  readonly runAs?: string;
  /** Creates the task's sandbox (and records it); called once the image is there. */
  readonly createSandbox: () => Promise<string>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly report: (change: StatusChange) => void;
}

/** See the file comment. */
export class DockerExecutor implements TaskExecutor {
  private container: Dockerode.Container | undefined;
  private pendingKillMs: number | undefined;
  private killTimer: TimerHandle | undefined;
  private detached = false;
  private readonly abort = new AbortController();
  private resolveDone: () => void = () => {};
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly ctx: DockerExecutorContext) {}

  async launch(): Promise<void> {
    const { record, engine } = this.ctx;
    const docker = record.task.container?.docker ?? {};
    const image = docker.image ?? '';
    let account: UserAccount | undefined;
    try {
      // The user first: an unknown one fails the task before any pull.
      if (this.ctx.runAs !== undefined) account = await requireUser(this.ctx.runAs);
    } catch (err) {
      return this.failLaunch(`Failed to launch the container: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      await engine.ensureImage(image, docker.forcePullImage ?? false);
    } catch (err) {
      return this.failLaunch(err instanceof Error ? err.message : String(err));
    }
    if (record.killRequested) {
      this.ctx.report({
        state: TaskState.TASK_KILLED,
        reason: TaskStatusReason.REASON_TASK_KILLED_DURING_LAUNCH,
        message: 'Killed before the container was started',
      });
      this.resolveDone();
      return;
    }
    let container: Dockerode.Container;
    let sandbox: string;
    try {
      sandbox = await this.ctx.createSandbox();
      if (account) {
        await handOverSandbox(sandbox, account);
        this.ctx.logger.info('running as user', { taskId: record.taskId, user: account.name, uid: account.uid });
      }
      const spec = containerSpec({
        task: record.task,
        framework: record.framework,
        frameworkId: record.frameworkId,
        agentId: this.ctx.agentId,
        workDir: this.ctx.workDir,
        sandbox,
        run: basename(sandbox),
        host: this.ctx.host,
        ...(account ? { user: account } : {}),
      });
      container = await engine.client.createContainer(spec);
      setDockerContainer(record, { id: container.id, name: spec.name, image });
    } catch (err) {
      return this.failLaunch(`Cannot create the container: ${dockerErrorText(err)}`);
    }
    try {
      await container.start();
    } catch (err) {
      await container.remove({ force: true, v: true }).catch(() => undefined);
      return this.failLaunch(`Cannot start the container: ${dockerErrorText(err)}`);
    }
    this.container = container;
    this.ctx.logger.info('container running', { taskId: record.taskId, container: container.id, sandbox });
    this.ctx.report({ state: TaskState.TASK_RUNNING });
    this.watch(container, sandbox);
    if (this.pendingKillMs !== undefined) this.kill(this.pendingKillMs);
  }

  /**
   * Takes over a container that a previous run of the agent started: follows
   * its logs from where they stopped and waits for it (or reports how it
   * ended while the agent was away).
   */
  reattach(containerId: string, name: string, sandbox: string): void {
    const container = this.ctx.engine.client.getContainer(containerId);
    this.container = container;
    setDockerContainer(this.ctx.record, {
      id: containerId,
      name,
      image: this.ctx.record.task.container?.docker?.image ?? '',
    });
    this.watch(container, sandbox);
  }

  kill(gracePeriodMs: number): void {
    this.ctx.record.killRequested = true;
    const container = this.container;
    if (!container) {
      this.pendingKillMs = gracePeriodMs;
      return;
    }
    if (this.killTimer) return;
    const signal = (s: string): void => {
      container.kill({ signal: s }).catch((err: unknown) => {
        // 409: not running any more; 404: gone. Both mean it has ended.
        this.ctx.logger.debug('cannot signal the container', { signal: s, error: dockerErrorText(err) });
      });
    };
    if (gracePeriodMs <= 0) return signal('SIGKILL');
    signal('SIGTERM');
    this.killTimer = this.ctx.clock.setTimeout(() => {
      this.ctx.logger.info('grace period over: SIGKILL', { taskId: this.ctx.record.taskId, gracePeriodMs });
      signal('SIGKILL');
    }, gracePeriodMs);
  }

  detach(): void {
    this.detached = true;
    if (this.killTimer) this.ctx.clock.clearTimeout(this.killTimer);
    this.abort.abort();
  }

  private failLaunch(message: string): void {
    this.ctx.report({ state: TaskState.TASK_FAILED, reason: TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED, message });
    this.resolveDone();
  }

  private watch(container: Dockerode.Container, sandbox: string): void {
    const { signal } = this.abort;
    const { workDir, clock } = this.ctx;
    const logs = followLogs({ container, sandbox, workDir, clock, signal });
    void (async () => {
      let exit: ContainerExit;
      try {
        await container.wait({ abortSignal: signal });
        if (this.detached) return;
        await this.drained(logs);
        const info = await container.inspect();
        exit = {
          exitCode: info.State.ExitCode,
          oomKilled: info.State.OOMKilled,
          ...(info.State.Error ? { error: info.State.Error } : {}),
        };
      } catch (err) {
        if (this.detached) return;
        this.finish({
          state: TaskState.TASK_FAILED,
          reason: TaskStatusReason.REASON_EXECUTOR_TERMINATED,
          message: `Lost the container: ${dockerErrorText(err)}`,
        });
        return;
      }
      await container.remove({ force: true, v: true }).catch((err: unknown) => {
        this.ctx.logger.warn('cannot remove the container', {
          taskId: this.ctx.record.taskId,
          error: dockerErrorText(err),
        });
      });
      await forgetLogPosition(workDir, container.id).catch(() => undefined);
      const mem = Resources.fromProto(this.ctx.record.task.resources).scalar('mem');
      this.finish(dockerTerminalStatus(exit, this.ctx.record.killRequested, mem > 0 ? mem : undefined));
    })();
  }

  /** Waits for the logs to be written, but not forever. */
  private async drained(logs: Promise<void>): Promise<void> {
    let timer: TimerHandle | undefined;
    await Promise.race([
      logs,
      new Promise<void>((resolve) => (timer = this.ctx.clock.setTimeout(resolve, LOG_DRAIN_MS))),
    ]);
    if (timer) this.ctx.clock.clearTimeout(timer);
  }

  private finish(change: StatusChange): void {
    if (this.killTimer) this.ctx.clock.clearTimeout(this.killTimer);
    this.abort.abort();
    this.ctx.report(change);
    this.resolveDone();
  }
}
