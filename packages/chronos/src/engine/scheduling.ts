// The scheduling loop's work at a tick: scheduled runs that are due (and the
// missed ones, each started or recorded as skipped under the job's catch-up
// policy), retries whose backoff is over, runs that waited for offers past
// epsilon, and runs past their maxCompletionTime. Then when to wake next.
// Both work per job: the engine keeps each job's wake time in a WakeQueue
// and deals at a tick with the jobs that are due, not with every job.
import { dueRuns, startDeadline } from '../schedule/due-runs.js';
import { runTimesOf } from '../schedule/run-times.js';
import type { RunRecord } from '../state/records.js';
import { admit, finish, launch, recordSkip, saveHistories, type RunContext } from './run-lifecycle.js';

/** Scheduled times dealt with per job and tick at most (a huge backlog continues at the next tick). */
const MAX_BATCHES = 10;

// Scheduled runs up to now: records first, then the cursor; launched by the caller after both are written.
async function dueScheduled(
  ctx: RunContext,
  jobs: readonly string[],
  now: number,
  launches: RunRecord[],
): Promise<boolean> {
  const touched = new Set<string>();
  let more = false;
  for (const name of jobs) {
    const job = ctx.state.job(name);
    if (job === undefined || job.def.trigger.kind === 'dependency') continue;
    const before = ctx.state.cursors.get(name) ?? null;
    let cursor = before;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const due = dueRuns(job.def, cursor, now);
      for (const s of due.start) {
        const r = await admit(ctx, { job: name, runId: s.runId, scheduledTime: s.scheduledTime, trigger: 'schedule' });
        if (r.outcome === 'launch') launches.push(r.run);
        if (r.outcome === 'skip') touched.add(name);
      }
      for (const k of due.skip) {
        const a = { job: name, runId: k.runId, scheduledTime: k.scheduledTime, trigger: 'schedule' as const };
        recordSkip(ctx, a, `${k.reason}: ${k.message}`);
        touched.add(name);
      }
      cursor = due.lastScheduled;
      more = more || (due.more && batch === MAX_BATCHES - 1);
      if (!due.more) break;
    }
    if (cursor !== before) {
      ctx.state.cursors.set(name, cursor);
      await ctx.store.putCursor(name, cursor);
    }
  }
  await saveHistories(ctx, touched);
  return more;
}

/**
 * Does what is due at the context's now for the jobs named (every job when
 * none are: that walks them all). Resolves with true when a backlog remains
 * for the next tick. A job named that has nothing due is left as it is.
 */
export async function runDueWork(ctx: RunContext, jobs?: Iterable<string>): Promise<boolean> {
  const now = ctx.now();
  const names = [...(jobs ?? ctx.state.jobs.keys())];
  const launches: RunRecord[] = [];
  const more = await dueScheduled(ctx, names, now, launches);
  for (const run of names.flatMap((name) => ctx.state.liveRunsOf(name))) {
    const job = ctx.state.job(run.job);
    if (job === undefined) continue;
    if (run.state === 'retrying' && (run.notBefore ?? 0) <= now) {
      run.state = 'launching';
      delete run.notBefore;
      await ctx.store.putRun(run);
      launches.push(run);
    } else if (run.state === 'launching' && isWaitingForOffer(ctx, run)) {
      const deadline = startDeadline(job.def, run.scheduledTime);
      if (deadline !== null && now > deadline) {
        const why = `missed-epsilon: no offer fitted the run of ${new Date(run.scheduledTime).toISOString()} within epsilon (${job.def.epsilon})`;
        await finish(ctx, run, 'skipped', now, why);
      }
    } else if (run.state === 'running' && overdue(run, job.def.maxCompletionTime, now)) {
      run.killRequested = true;
      run.reason = `killed: ran longer than maxCompletionTime (${job.def.maxCompletionTime} s)`;
      await ctx.store.putRun(run);
      ctx.port.kill(run.taskId, run.agentId);
    }
  }
  for (const run of launches) launch(ctx, run);
  return more;
}

function isWaitingForOffer(ctx: RunContext, run: RunRecord): boolean {
  return ctx.state.wanted.has(run.runId) && run.trigger === 'schedule' && run.attempt === 0;
}

function overdue(run: RunRecord, maxSeconds: number, now: number): boolean {
  return (
    maxSeconds > 0 && !run.killRequested && run.startedAt !== undefined && now >= run.startedAt + maxSeconds * 1000
  );
}

/** When the loop must run next for one job (undefined: nothing to wait for). */
export function jobWakeAt(ctx: RunContext, name: string, now: number): number | undefined {
  const job = ctx.state.job(name);
  if (job === undefined) return undefined;
  let at: number | undefined;
  const consider = (t: number | null | undefined): void => {
    if (t !== null && t !== undefined && (at === undefined || t < at)) at = t;
  };
  if (job.def.trigger.kind !== 'dependency') {
    consider(runTimesOf(job.def.trigger).after(ctx.state.cursors.get(name) ?? null, 1)[0]);
  }
  for (const run of ctx.state.liveRunsOf(name)) {
    if (run.state === 'retrying') consider(run.notBefore ?? now);
    else if (run.state === 'launching' && isWaitingForOffer(ctx, run)) {
      const deadline = startDeadline(job.def, run.scheduledTime);
      if (deadline !== null) consider(deadline + 1);
    } else if (run.state === 'running' && job.def.maxCompletionTime > 0 && run.startedAt !== undefined) {
      if (!run.killRequested) consider(run.startedAt + job.def.maxCompletionTime * 1000);
    }
  }
  return at;
}

/** When the loop must run next, over every job (walks them all: for checks, not per event). */
export function nextWakeAt(ctx: RunContext, now: number): number | undefined {
  let at: number | undefined;
  for (const name of ctx.state.jobs.keys()) {
    const t = jobWakeAt(ctx, name, now);
    if (t !== undefined && (at === undefined || t < at)) at = t;
  }
  return at;
}
