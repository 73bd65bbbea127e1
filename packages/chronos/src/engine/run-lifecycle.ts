// How a run moves: admitted (recorded with create-if-absent, then launched),
// launched, running, retried, finished. Every change is persisted before the
// call that caused it returns, and tasks are wanted from the cluster only
// after the records that justify them are written.
import { TaskState, TaskStatusReason, type ITaskStatus, type Logger } from '@mesocosm/framework-sdk';
import { nextAttempt, type RetryPolicy } from '../schedule/retry.js';
import type { RunTrigger } from '../schedule/run-book.js';
import { taskIdFor } from '../schedule/run-ids.js';
import type { RunRecord } from '../state/records.js';
import type { EngineState } from './engine-state.js';
import type { EngineStore } from './engine-store.js';
import { historyEntry } from './job-history.js';
import { buildTask } from './task-builder.js';
import type { TaskPort } from './task-port.js';

/** Finished run records kept per job in the store (older ones are behind every cursor; history keeps N). */
export const FINISHED_RUNS_KEPT = 10;

/** What the run lifecycle works with. */
export interface RunContext {
  readonly state: EngineState;
  readonly store: EngineStore;
  readonly port: TaskPort;
  readonly logger: Logger;
  readonly retryPolicy: RetryPolicy;
  now(): number;
  frameworkId(): string | undefined;
}

/** A run asking to exist. */
export interface Admission {
  readonly job: string;
  readonly runId: string;
  readonly scheduledTime: number;
  readonly trigger: RunTrigger;
  readonly args?: readonly string[];
  readonly parentRuns?: Readonly<Record<string, string>>;
}

/** What became of an admission. */
export type Admitted =
  | { readonly outcome: 'launch' | 'wait'; readonly run: RunRecord }
  | { readonly outcome: 'skip'; readonly reason: string }
  /** Already known here, or recorded by another instance: nothing to do. */
  | { readonly outcome: 'duplicate' | 'exists' };

/** Records a skipped run in the job's history (not persisted: the caller writes the history). */
export function recordSkip(ctx: RunContext, a: Admission, reason: string): void {
  const run: RunRecord = {
    runId: a.runId,
    job: a.job,
    scheduledTime: a.scheduledTime,
    trigger: a.trigger,
    state: 'skipped',
    attempt: 0,
    taskId: taskIdFor(a.runId, 0),
    createdAt: ctx.now(),
    reason,
  };
  ctx.state.history(a.job).add(historyEntry(run, 'skipped', ctx.frameworkId()), true);
}

/**
 * Decides for a due run (RunBook), then records it with create-if-absent.
 * Only a `launch` outcome may be launched, by the caller, once its other
 * records (cursor, graph) are written. Skips go to the history (unsaved).
 */
export async function admit(ctx: RunContext, a: Admission): Promise<Admitted> {
  const job = ctx.state.job(a.job);
  if (job === undefined || ctx.state.runs.has(a.runId)) return { outcome: 'duplicate' };
  if (job.def.disabled && a.trigger === 'dependency') {
    const reason = `disabled: job '${a.job}' is disabled; dependent run skipped`;
    recordSkip(ctx, a, reason);
    return { outcome: 'skip', reason };
  }
  const decision = ctx.state.bookOf(a.job).request(job.def, { runId: a.runId, trigger: a.trigger });
  if (decision.action === 'duplicate') return { outcome: 'duplicate' };
  if (decision.action === 'skip') {
    const reason = `${decision.reason}: ${decision.message}`;
    recordSkip(ctx, a, reason);
    return { outcome: 'skip', reason };
  }
  const run: RunRecord = {
    runId: a.runId,
    job: a.job,
    scheduledTime: a.scheduledTime,
    trigger: a.trigger,
    state: decision.action === 'start' ? 'launching' : 'waiting',
    attempt: 0,
    taskId: taskIdFor(a.runId, 0),
    createdAt: ctx.now(),
    ...(a.args === undefined ? {} : { args: [...a.args] }),
    ...(a.parentRuns === undefined ? {} : { parentRuns: { ...a.parentRuns } }),
  };
  if (!(await ctx.store.createRun(run))) {
    ctx.logger.warn('run already recorded by another instance; not launching it', { runId: a.runId });
    return { outcome: 'exists' };
  }
  ctx.state.runs.set(run.runId, run);
  return { outcome: decision.action === 'start' ? 'launch' : 'wait', run };
}

/** Wants the run's current attempt from the cluster (its record says `launching`). */
export function launch(ctx: RunContext, run: RunRecord): void {
  const job = ctx.state.job(run.job);
  if (job === undefined) return;
  ctx.state.wanted.add(run.runId);
  const attempt = { runId: run.runId, taskId: run.taskId, attempt: run.attempt, scheduledTime: run.scheduledTime };
  ctx.port.want(run.runId, buildTask(job.def, run.args === undefined ? attempt : { ...attempt, args: run.args }));
}

/** Stops wanting a task for the run, if it did. */
export function unwant(ctx: RunContext, run: RunRecord): void {
  if (ctx.state.wanted.delete(run.runId)) ctx.port.unwant(run.runId);
}

/** Writes the histories named. */
export async function saveHistories(ctx: RunContext, jobs: Iterable<string>): Promise<void> {
  for (const job of new Set(jobs)) {
    if (ctx.state.job(job) !== undefined) await ctx.store.putHistory(job, ctx.state.history(job).toRecord());
  }
}

/**
 * The run's final outcome: for a success, the dependent runs it completes
 * are recorded (their IDs come from `at`, the status time, so every leader
 * derives the same ones) and the graph saved; the run that waited behind
 * this one starts; the record and history are written; then the new runs
 * are launched.
 */
export async function finish(
  ctx: RunContext,
  run: RunRecord,
  outcome: 'success' | 'failure' | 'killed' | 'skipped',
  at: number,
  reason?: string,
): Promise<void> {
  unwant(ctx, run);
  run.state = outcome;
  run.finishedAt = at;
  if (reason !== undefined) run.reason = reason;
  delete run.notBefore;
  const launches: RunRecord[] = [];
  const touched = new Set<string>([run.job]);
  const { state } = ctx;
  if (outcome === 'success' && state.graph.has(run.job)) {
    for (const ready of state.graph.onSuccess(run.job, run.runId, at)) {
      const child = { job: ready.job, runId: ready.runId, scheduledTime: ready.scheduledTime };
      const r = await admit(ctx, { ...child, trigger: 'dependency', parentRuns: ready.parentRuns });
      touched.add(ready.job);
      if (r.outcome === 'launch') launches.push(r.run);
    }
    await ctx.store.putGraph(state.graph.toJSON());
  }
  const next = waitingToStart(state, run.job);
  if (next !== undefined) {
    next.state = 'launching';
    await ctx.store.putRun(next);
    launches.push(next);
  }
  await ctx.store.putRun(run);
  state.history(run.job).add(historyEntry(run, outcome, ctx.frameworkId()), true);
  await saveHistories(ctx, touched);
  await pruneFinished(ctx, run.job);
  for (const r of launches) launch(ctx, r);
}

// The run of `job` that waited for the active ones to end, when none is active any more.
function waitingToStart(state: EngineState, job: string): RunRecord | undefined {
  const live = state.liveRunsOf(job);
  if (live.some((r) => r.state !== 'waiting')) return undefined;
  return live.sort((a, b) => a.scheduledTime - b.scheduledTime)[0];
}

// Keeps the newest finished run records of a job; the history holds what users see.
async function pruneFinished(ctx: RunContext, job: string): Promise<void> {
  const finished = ctx.state
    .runsOf(job)
    .filter((r) => r.state === 'success' || r.state === 'failure' || r.state === 'killed' || r.state === 'skipped');
  for (const r of finished.slice(0, Math.max(0, finished.length - FINISHED_RUNS_KEPT))) {
    await ctx.store.deleteRun(r.runId);
    ctx.state.runs.delete(r.runId);
  }
}

/** An attempt failed: the next one after the backoff, or the run's failure when retries are spent. */
export async function failAttempt(ctx: RunContext, run: RunRecord, at: number, why: string): Promise<void> {
  const job = ctx.state.job(run.job);
  const next = job === undefined ? null : nextAttempt(job.def, run.runId, run.attempt, at, ctx.retryPolicy);
  if (next === null) {
    await finish(ctx, run, 'failure', at, why);
    return;
  }
  unwant(ctx, run);
  const failed = { ...run, finishedAt: at };
  ctx.state.history(run.job).add(historyEntry(failed, 'failure', ctx.frameworkId(), why), false);
  run.state = 'retrying';
  run.attempt = next.attempt;
  run.taskId = next.taskId;
  run.notBefore = next.notBefore;
  run.reason = why;
  delete run.startedAt;
  delete run.agentId;
  delete run.hostname;
  delete run.agentUrl;
  await ctx.store.putRun(run);
  await saveHistories(ctx, [run.job]);
}

/**
 * True for an answer that the master has never had this task: a
 * reconciliation answer for a task it does not know (TASK_LOST for a
 * framework that is not partition-aware, TASK_UNKNOWN/GONE otherwise), or a
 * TASK_DROPPED of an ACCEPT that never reached an agent.
 */
export function neverLaunched(status: ITaskStatus): boolean {
  const state = status.state ?? TaskState.TASK_STAGING;
  if (state === TaskState.TASK_DROPPED) return true;
  const unknown = state === TaskState.TASK_LOST || state === TaskState.TASK_UNKNOWN || state === TaskState.TASK_GONE;
  return unknown && status.reason === TaskStatusReason.REASON_RECONCILIATION;
}
