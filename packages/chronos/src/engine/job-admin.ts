// Creating, replacing, deleting, running and killing jobs: the engine side
// of the REST API's changing calls. Each resolves once persisted.
import { JobValidationError, UnknownJobError } from '../errors.js';
import type { JobDefaults, JobDefinition } from '../model/job-definition.js';
import { parseJob } from '../model/parse-job.js';
import { renderJob } from '../model/render-job.js';
import { runIdFor } from '../schedule/run-ids.js';
import {
  admit,
  finish,
  launch,
  saveHistories,
  unwant,
  type Admission,
  type Admitted,
  type RunContext,
} from './run-lifecycle.js';

/** The run context plus what job changes need. */
export interface AdminContext extends RunContext {
  readonly defaults: Partial<JobDefaults>;
}

/** Which endpoint a job came through. */
export type JobKind = 'scheduled' | 'dependent';

// The fields that decide when a job runs: a change resets its cursor.
function triggerKey(def: JobDefinition): string {
  const r = renderJob(def);
  return JSON.stringify([r['schedule'], r['scheduleTimeZone'], r['cron']]);
}

function checkKind(def: JobDefinition, kind: JobKind): void {
  const dependent = def.trigger.kind === 'dependency';
  if (kind === 'scheduled' && dependent) {
    throw new JobValidationError(
      [{ field: 'parents', message: 'a job with parents is created with POST /v1/scheduler/dependency' }],
      def.name,
    );
  }
  if (kind === 'dependent' && !dependent) {
    throw new JobValidationError(
      [{ field: 'parents', message: 'is required here; a scheduled job is created with POST /v1/scheduler/iso8601' }],
      def.name,
    );
  }
}

/** Creates or replaces a job (a changed schedule starts afresh from its new start). */
export async function putJob(ctx: AdminContext, json: unknown, kind: JobKind): Promise<JobDefinition> {
  const now = ctx.now();
  let def = parseJob(json, { now, defaults: ctx.defaults });
  checkKind(def, kind);
  await storeJob(ctx, def, now, json);
  def = ctx.state.job(def.name)?.def ?? def;
  return def;
}

// Writes a parsed job: graph edge check first (nothing changes on a refusal), then the records.
async function storeJob(ctx: AdminContext, parsed: JobDefinition, now: number, json: unknown): Promise<void> {
  const { state } = ctx;
  const existing = state.job(parsed.name);
  state.graph.set(parsed.name, parsed.trigger.kind === 'dependency' ? parsed.trigger.parents : []);
  const same = existing !== undefined && triggerKey(existing.def) === triggerKey(parsed);
  const definedAt = same ? existing.definedAt : now;
  // A kept cron job keeps the time it was defined, so that its runs since then stay its own.
  const def = same && definedAt !== now ? parseJob(json, { now: definedAt, defaults: ctx.defaults }) : parsed;
  await ctx.store.putJob(def.name, { definition: renderJob(def), definedAt });
  state.jobs.set(def.name, { def, definedAt });
  if (!same) {
    // A cron job's runs begin when it is defined; an ISO 8601 job's at its start.
    const cursor = def.trigger.kind === 'cron' ? definedAt - 1 : null;
    state.cursors.set(def.name, cursor);
    await ctx.store.putCursor(def.name, cursor);
  }
  await ctx.store.putGraph(state.graph.toJSON());
}

/**
 * Kills every live run of a job: runs waiting, retrying or waiting for an
 * offer end as `killed` at once; launched ones get a KILL and end on its update.
 * Resolves with how many runs were affected.
 */
export async function killRuns(ctx: RunContext, name: string, reason: string): Promise<number> {
  const live = ctx.state.liveRunsOf(name);
  // Waiting runs first, so that ending an active one does not start them.
  live.sort((a, b) => (a.state === 'waiting' ? 0 : 1) - (b.state === 'waiting' ? 0 : 1));
  for (const run of live) {
    const queued = run.state === 'waiting' || run.state === 'retrying' || ctx.state.wanted.has(run.runId);
    if (queued) {
      unwant(ctx, run);
      await finish(ctx, run, 'killed', ctx.now(), reason);
    } else {
      run.killRequested = true;
      run.reason = reason;
      await ctx.store.putRun(run);
      ctx.port.kill(run.taskId, run.agentId);
    }
  }
  return live.length;
}

/**
 * Deletes a job: its runs are killed, and its children are rewired as
 * Chronos does: a dependent job's children inherit its parents; a child of a
 * scheduled job keeps its other parents, and one left without parents takes
 * the deleted job's schedule (Chronos gives it the schedule even when it has
 * other parents; we keep those).
 */
export async function deleteJob(ctx: AdminContext, name: string): Promise<void> {
  const { state } = ctx;
  const job = state.job(name);
  if (job === undefined) throw new UnknownJobError(name);
  await killRuns(ctx, name, `job '${name}' was deleted`);
  for (const child of state.graph.children(name)) {
    const childJob = state.job(child);
    if (childJob === undefined || childJob.def.trigger.kind !== 'dependency') continue;
    const others = childJob.def.trigger.parents.filter((p) => p !== name);
    const inherited = job.def.trigger.kind === 'dependency' ? job.def.trigger.parents : [];
    const parents = [...new Set([...others, ...inherited])];
    const { parents: _old, ...rest } = renderJob(childJob.def);
    let json: Record<string, unknown>;
    if (parents.length > 0) json = { ...rest, parents };
    else {
      const r = renderJob(job.def, { lastScheduled: state.cursors.get(name) ?? null });
      const when = r['cron'] === undefined ? { schedule: r['schedule'] } : { cron: r['cron'] };
      json = { ...rest, ...when, scheduleTimeZone: r['scheduleTimeZone'] };
    }
    await storeJob(ctx, parseJob(json, { now: ctx.now(), defaults: ctx.defaults }), ctx.now(), json);
  }
  state.graph.remove(name);
  for (const run of state.runsOf(name)) {
    unwant(ctx, run);
    await ctx.store.deleteRun(run.runId);
    state.runs.delete(run.runId);
  }
  await ctx.store.deleteJob(name);
  await ctx.store.putGraph(state.graph.toJSON());
  state.jobs.delete(name);
  state.cursors.delete(name);
  state.histories.delete(name);
}

/**
 * Runs a job now: run ID `<job>@<now>` (a later millisecond if that one is
 * taken). A dependent job's parent set starts afresh (the manual run stands
 * for it). A disabled job runs too: the user asked for it.
 */
export async function runJob(ctx: AdminContext, name: string, args?: readonly string[]): Promise<{ runId: string }> {
  const { state } = ctx;
  const job = state.job(name);
  if (job === undefined) throw new UnknownJobError(name);
  if (job.def.trigger.kind === 'dependency') {
    state.graph.resetChild(name);
    await ctx.store.putGraph(state.graph.toJSON());
  }
  for (let t = ctx.now(), tries = 0; tries < 100; t++, tries++) {
    const runId = runIdFor(name, t);
    if (state.runs.has(runId)) continue;
    const a: Admission = { job: name, runId, scheduledTime: t, trigger: 'manual', ...(args?.length ? { args } : {}) };
    const r: Admitted = await admit(ctx, a);
    if (r.outcome === 'exists' || r.outcome === 'duplicate') continue;
    if (r.outcome === 'skip') await saveHistories(ctx, [name]);
    if (r.outcome === 'launch') launch(ctx, r.run);
    return { runId };
  }
  throw new JobValidationError([{ field: 'name', message: 'could not find a free run ID; retry' }], name);
}
