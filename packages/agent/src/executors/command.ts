// The command executor, built into the agent: runs a CommandInfo as a
// process group in the task's sandbox and container, and reports its states.
import { TaskState, TaskStatusReason, type TimerHandle } from '@mesocosm/protocol';
import { recordExitStatus } from '../checkpoint/exit-status.js';
import type { Limitation, Termination } from '../isolation/isolator.js';
import { commandLine } from './command-line.js';
import { runAsUser } from './run-as-user.js';
import type { ExecutorContext, StatusChange, TaskExecutor } from './executor.js';
import {
  checkExecutable,
  killGroupGracefully,
  signalGroup,
  spawnProcess,
  type SpawnedProcess,
} from './spawn-process.js';

/** How a process ended, in words (as Mesos' command executor says it). Pure. */
export function describeTermination(t: Termination): string {
  if (t.signal !== null) return `Command terminated with signal ${t.signal}`;
  return `Command exited with status ${t.code ?? 'unknown'}`;
}

/** The terminal status of a task, from what happened to it. Pure. */
export function terminalStatus(t: Termination, killed: boolean, limitation: Limitation | undefined): StatusChange {
  if (killed) return { state: TaskState.TASK_KILLED, message: describeTermination(t) };
  if (limitation) return { state: TaskState.TASK_FAILED, reason: limitation.reason, message: limitation.message };
  if (t.code === 0) return { state: TaskState.TASK_FINISHED, message: describeTermination(t) };
  return {
    state: TaskState.TASK_FAILED,
    reason: TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED,
    message: describeTermination(t),
  };
}

/** See the file comment. */
export class CommandExecutor implements TaskExecutor {
  private proc: SpawnedProcess | undefined;
  private killTimer: TimerHandle | undefined;
  private limitation: Limitation | undefined;
  private detached = false;
  private resolveDone: () => void = () => {};
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly ctx: ExecutorContext) {}

  async launch(): Promise<void> {
    const { record, container, sandbox } = this.ctx;
    let cmd = commandLine(record.task.command ?? {});
    let env = this.ctx.env;
    try {
      // With a cgroup wrapper the program is exec'd by a shell; checking it
      // first keeps "no such program" a launch failure, not exit status 127.
      await checkExecutable(cmd.file, env);
      if (this.ctx.runAs !== undefined) {
        const asUser = await runAsUser(this.ctx.runAs, sandbox, cmd, env);
        [cmd, env] = [asUser.cmd, asUser.env];
        const { name, uid } = asUser.account;
        this.ctx.logger.info('running as user', { taskId: record.taskId, user: name, uid });
      }
      const file = this.ctx.exitStatusFile;
      this.proc = await spawnProcess(container.wrap(file ? recordExitStatus(cmd, file) : cmd), sandbox, env);
    } catch (err) {
      await container.cleanup().catch(() => undefined);
      this.ctx.report({
        state: TaskState.TASK_FAILED,
        reason: TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED,
        message: `Failed to launch the command: ${err instanceof Error ? err.message : String(err)}`,
      });
      this.resolveDone();
      return;
    }
    const pid = this.proc.pid;
    record.pid = pid;
    this.ctx.logger.info('task running', { taskId: record.taskId, pid, sandbox });
    this.ctx.report({ state: TaskState.TASK_RUNNING });
    container.watch(pid, (limitation) => {
      this.limitation = limitation;
      this.ctx.logger.warn('task over its limit: killing it', { taskId: record.taskId, message: limitation.message });
      signalGroup(pid, 'SIGKILL');
    });
    void this.proc.exited.then((t) => this.finish(pid, t));
  }

  kill(gracePeriodMs: number): void {
    this.ctx.record.killRequested = true;
    const pid = this.proc?.pid;
    if (pid === undefined || this.killTimer) return;
    this.killTimer = killGroupGracefully(pid, gracePeriodMs, this.ctx.clock, () =>
      this.ctx.logger.info('grace period over: SIGKILL', { taskId: this.ctx.record.taskId, gracePeriodMs }),
    );
  }

  detach(): void {
    this.detached = true;
    if (this.killTimer) this.ctx.clock.clearTimeout(this.killTimer);
    this.ctx.container.release();
    this.proc?.unref();
  }

  private async finish(pid: number, t: Termination): Promise<void> {
    if (this.detached) return;
    if (this.killTimer) this.ctx.clock.clearTimeout(this.killTimer);
    // The task is its process group: what it left behind goes with it.
    signalGroup(pid, 'SIGKILL');
    const limitation = this.limitation ?? (await this.ctx.container.limitation(t).catch(() => undefined));
    try {
      await this.ctx.container.cleanup();
    } catch (err) {
      this.ctx.logger.warn('cannot clean up the container', { taskId: this.ctx.record.taskId, error: String(err) });
    }
    this.ctx.report(terminalStatus(t, this.ctx.record.killRequested, limitation));
    this.resolveDone();
  }
}
