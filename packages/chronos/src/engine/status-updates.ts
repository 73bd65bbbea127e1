// Status updates, mapped back to runs by their task IDs
// (`ct:<scheduled>:<attempt>:<job>`). The handler resolves once everything
// the update changed is persisted; the SDK acknowledges the update only then,
// so an update whose effects were not written is delivered again.
import { TaskState, isTerminalState, taskStateName, type ITaskStatus } from '@mesocosm/framework-sdk';
import { parseTaskId } from '../schedule/run-ids.js';
import { isFinalRun } from '../state/records.js';
import { failAttempt, finish, launch, neverLaunched, unwant, type RunContext } from './run-lifecycle.js';

const STARTED: readonly TaskState[] = [
  TaskState.TASK_STAGING,
  TaskState.TASK_STARTING,
  TaskState.TASK_RUNNING,
  TaskState.TASK_KILLING,
];

/** The status time in epoch ms (the agent's), or now when it has none. */
export function statusTime(status: ITaskStatus, now: number): number {
  const ts = status.timestamp ?? 0;
  return ts > 0 ? Math.round(ts * 1000) : now;
}

/** Applies one status update to the run it belongs to. */
export async function applyUpdate(ctx: RunContext, status: ITaskStatus): Promise<void> {
  const taskId = status.taskId?.value ?? '';
  const ref = parseTaskId(taskId);
  if (ref === null) return; // not one of ours
  const state = status.state ?? TaskState.TASK_STAGING;
  const terminal = isTerminalState(state);
  const agentId = status.agentId?.value || undefined;
  const run = ctx.state.runs.get(ref.runId);
  if (run === undefined) {
    // A task of a job that was deleted while it ran: it has no run to belong to.
    if (!terminal && ctx.state.job(ref.job) === undefined) ctx.port.kill(taskId, agentId);
    return;
  }
  if (run.taskId !== taskId || isFinalRun(run.state) || run.state === 'waiting' || run.state === 'retrying') {
    // An earlier attempt, or a run that is over: a late or redelivered update.
    if (!terminal && run.taskId !== taskId) ctx.port.kill(taskId, agentId);
    return;
  }
  const at = statusTime(status, ctx.now());
  if (STARTED.includes(state)) {
    if (run.state === 'running') return;
    unwant(ctx, run);
    run.state = 'running';
    run.startedAt ??= at;
    if (agentId !== undefined) run.agentId = agentId;
    await ctx.store.putRun(run);
    return;
  }
  if (state === TaskState.TASK_FINISHED) {
    await finish(ctx, run, 'success', at);
    return;
  }
  if (!terminal) return;
  const why = `${taskStateName(state)}${status.message ? `: ${status.message}` : ''}`;
  if (run.state === 'launching' && neverLaunched(status)) {
    // The master never had this task (answered by its task ID, which only this run's attempt uses).
    if (ctx.state.wanted.has(run.runId)) return; // it is waiting for an offer in this very Scheduler
    if (run.killRequested) {
      await finish(ctx, run, 'killed', at, run.reason ?? 'killed');
      return;
    }
    ctx.logger.info('the master does not know the task of a recorded run: launching that attempt', {
      runId: run.runId,
      taskId,
    });
    launch(ctx, run);
    return;
  }
  if (run.killRequested) await finish(ctx, run, 'killed', at, run.reason ?? why);
  else await failAttempt(ctx, run, at, why);
}
