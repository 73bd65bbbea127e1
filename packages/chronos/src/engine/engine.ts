// The engine of one leading Chronos: restored from the store at election, it
// owns the jobs, runs and history while it leads. One operation at a time
// (API calls, timer ticks, status updates, launches): each resolves once its
// changes are persisted. Time and timers come from the injected clock.
// Each job's next wake time sits in a WakeQueue, re-evaluated for the jobs an
// operation touched (EngineState.touched), so that no put, status update or
// tick walks every job.
import type { Clock, ITaskStatus, LaunchedTask, Logger, ReconcileTask, TimerHandle } from '@mesocosm/framework-sdk';
import { NotLeaderError } from '@mesocosm/framework-sdk/ha';
import { UnknownJobError } from '../errors.js';
import type { JobDefaults } from '../model/job-definition.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../schedule/retry.js';
import { parseTaskId } from '../schedule/run-ids.js';
import type { ChronosStore } from '../state/chronos-store.js';
import { EngineState } from './engine-state.js';
import { deleteJob, killRuns, putJob, runJob, type AdminContext, type JobKind } from './job-admin.js';
import { trackedStore } from './engine-store.js';
import { runDueWork, jobWakeAt } from './scheduling.js';
import { applyUpdate } from './status-updates.js';
import type { TaskPort } from './task-port.js';
import { WakeQueue } from './wake-queue.js';

/** Options of {@link ChronosEngine.restore}. */
export interface EngineOptions {
  readonly store: ChronosStore;
  readonly port: TaskPort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Runs kept per job in the history (default 100). */
  readonly historySize?: number;
  /** Backoff between attempts (default 60 s doubling, at most 15 min). */
  readonly retryPolicy?: RetryPolicy;
  /** Operator defaults for jobs (`--mesos_task_cpu`, `--task_epsilon`, ...). */
  readonly jobDefaults?: Partial<JobDefaults>;
  /** The framework ID, for sandbox links (known once subscribed). */
  readonly frameworkId?: () => string | undefined;
}

/** Default history length per job. */
export const DEFAULT_HISTORY_SIZE = 100;
/** A timer is never armed further ahead than this (the clock's timers have a range); it re-arms. */
const MAX_TIMER_MS = 3_600_000;
/** After a tick that failed (e.g. a store error), the next try. */
const TICK_RETRY_MS = 1_000;

/**
 * Chronos' scheduling engine while this instance leads.
 *
 * @example
 * ```ts
 * const engine = await ChronosEngine.restore({ store, port: schedulerPort(scheduler), clock, logger });
 * await scheduler.start(); // reconciles engine.knownTasks()
 * engine.start();
 * ```
 */
export class ChronosEngine {
  readonly ctx: AdminContext;
  /** Each job's next wake time, as of the last operation. */
  private readonly wakes = new WakeQueue();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private started = false;
  private stopped = false;

  private constructor(
    readonly state: EngineState,
    private readonly options: EngineOptions,
  ) {
    this.ctx = {
      state,
      store: trackedStore(options.store, state.touch),
      port: options.port,
      logger: options.logger,
      retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
      defaults: options.jobDefaults ?? {},
      now: () => options.clock.now(),
      frameworkId: () => options.frameworkId?.(),
    };
  }

  /** Reads the state from the store. Runs recorded as launching are reconciled (see `knownTasks`) before any relaunch. */
  static async restore(options: EngineOptions): Promise<ChronosEngine> {
    const loaded = await options.store.load();
    const size = options.historySize ?? DEFAULT_HISTORY_SIZE;
    const state = EngineState.restore(loaded, size, options.jobDefaults ?? {}, options.logger);
    const engine = new ChronosEngine(state, options);
    // Records of runs whose job is gone (deleted by a leader that stopped half-way).
    for (const run of [...state.runs.values()].filter((r) => state.job(r.job) === undefined)) {
      await options.store.deleteRun(run.runId);
      state.runs.delete(run.runId);
    }
    return engine;
  }

  /** Starts the scheduling loop: runs due now (and missed ones) are dealt with at once. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const live = this.state.liveRuns();
    this.options.logger.info('chronos engine started', { jobs: this.state.jobs.size, liveRuns: live.length });
    for (const name of this.state.jobs.keys()) this.state.touch(name);
    // Runs that were waiting for their next attempt, or recorded behind an active run, continue from here.
    this.tickSoon(0);
  }

  /** Stops at once: no timer, no further operation (those queued fail with NotLeaderError). */
  stop(): void {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** When the timer is next due (undefined: nothing to wait for), as of the last operation. */
  get nextWake(): number | undefined {
    return this.wakes.peek();
  }

  /** True until stopped. */
  get running(): boolean {
    return !this.stopped;
  }

  /** Resolves when every operation queued so far has run. */
  async settled(): Promise<void> {
    for (;;) {
      const q = this.queue;
      await q.catch(() => undefined);
      if (q === this.queue) return;
    }
  }

  // ---- from the cluster ------------------------------------------------------------

  /** Tasks the Scheduler just launched (called before their ACCEPT is sent). */
  onLaunched(tasks: readonly LaunchedTask[]): void {
    for (const t of tasks) {
      const ref = parseTaskId(t.taskId);
      const run = ref === null ? undefined : this.state.runs.get(ref.runId);
      if (run === undefined || run.taskId !== t.taskId) continue;
      this.state.wanted.delete(run.runId);
      const agentId = t.offer.agentId?.value;
      if (agentId) run.agentId = agentId;
      if (t.offer.hostname) run.hostname = t.offer.hostname;
      if (t.offer.url) run.agentUrl = t.offer.url;
      this.serial('record launch', () => this.ctx.store.putRun(run)).catch((err: unknown) =>
        this.options.logger.warn('launch not recorded (the run stays launching)', {
          runId: run.runId,
          error: String(err),
        }),
      );
    }
  }

  /** A status update; resolves once its effects are persisted (then the SDK acknowledges it). */
  onUpdate(status: ITaskStatus): Promise<void> {
    return this.serial('status update', async () => {
      await applyUpdate(this.ctx, status);
      this.arm();
    });
  }

  /** What the Scheduler reconciles explicitly (after each subscription and periodically). */
  knownTasks(): ReconcileTask[] {
    return this.state.knownTasks();
  }

  // ---- from the API ----------------------------------------------------------------

  /** Creates or replaces a job. */
  putJob(json: unknown, kind: JobKind): Promise<void> {
    return this.serial('put job', async () => {
      await putJob(this.ctx, json, kind);
      this.arm();
    });
  }

  /** Deletes a job (kills its runs, rewires its children as Chronos does). */
  deleteJob(name: string): Promise<void> {
    return this.serial('delete job', async () => {
      await deleteJob(this.ctx, name);
      this.arm();
    });
  }

  /** Runs a job now. */
  runJob(name: string, args?: readonly string[]): Promise<{ runId: string }> {
    return this.serial('run job', async () => {
      const r = await runJob(this.ctx, name, args);
      this.arm();
      return r;
    });
  }

  /** Kills the job's live runs; resolves with how many. */
  killJobTasks(name: string): Promise<number> {
    return this.serial('kill tasks', async () => {
      if (this.state.job(name) === undefined) throw new UnknownJobError(name);
      const n = await killRuns(this.ctx, name, 'killed on request');
      this.arm();
      return n;
    });
  }

  // ---- internals -------------------------------------------------------------------

  private serial<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(() => {
      if (this.stopped) throw new NotLeaderError(what, undefined);
      return fn();
    });
    this.queue = p.catch(() => undefined);
    return p;
  }

  private tickSoon(delay: number): void {
    const clock = this.options.clock;
    if (this.timer) clock.clearTimeout(this.timer);
    this.timer = clock.setTimeout(
      () => {
        this.timer = undefined;
        this.serial('tick', async () => {
          this.refresh();
          const due = this.wakes.popDue(clock.now());
          // Re-evaluated after the work, or at the retry if it fails.
          for (const name of due) this.state.touch(name);
          await runDueWork(this.ctx, due);
          this.arm();
        }).catch((err: unknown) => {
          if (this.stopped) return;
          this.options.logger.error('scheduling tick failed; retrying', { error: String(err) });
          this.tickSoon(TICK_RETRY_MS);
        });
      },
      Math.min(MAX_TIMER_MS, Math.max(0, delay)),
    );
  }

  /** Re-evaluates the wake times of the jobs touched since the last time. */
  private refresh(): void {
    const now = this.options.clock.now();
    for (const name of this.state.touched) {
      if (this.state.job(name) === undefined) this.wakes.forget(name);
      else this.wakes.set(name, jobWakeAt(this.ctx, name, now));
    }
    this.state.touched.clear();
  }

  /** Arms the timer for the next thing that is due. */
  private arm(): void {
    if (!this.started || this.stopped) return;
    const now = this.options.clock.now();
    this.refresh();
    const at = this.wakes.peek();
    if (at === undefined) {
      if (this.timer) this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    this.tickSoon(at - now);
  }
}
