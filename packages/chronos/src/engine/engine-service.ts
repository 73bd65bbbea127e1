// ChronosService over the engine of this instance while it leads. Changing
// calls on a standby (or while a new leader is still loading) fail with
// NotLeaderError carrying the leader's URL; reads there see no jobs: the
// API redirects them to the leader (`isLeader()`, `leaderUrl()`).
import { NotLeaderError, type LeaderInfo } from '@mesocosm/framework-sdk/ha';
import type { ChronosService, JobSearch, Json, RunHistoryEntry } from '../service/chronos-service.js';
import type { ChronosEngine } from './engine.js';
import { graphCsv, graphJson, jobJson, jobStats, listJobs, searchJobs } from './views.js';

/** What the service needs to know about leadership. */
export interface LeadershipView {
  readonly isLeader: boolean;
  leader(): LeaderInfo | undefined;
}

/** The {@link ChronosService} of one Chronos instance. */
export class EngineService implements ChronosService {
  private engine: ChronosEngine | undefined;

  constructor(
    private readonly leadership: LeadershipView,
    private readonly frameworkId: () => string | undefined = () => undefined,
  ) {}

  /** The engine to serve from (undefined: this instance does not lead, or not yet). */
  attach(engine: ChronosEngine | undefined): void {
    this.engine = engine;
  }

  private need(what: string): ChronosEngine {
    const e = this.engine;
    if (e === undefined || !e.running || !this.leadership.isLeader) throw new NotLeaderError(what, this.leaderUrl());
    return e;
  }

  listJobs(): Json[] {
    return this.engine ? listJobs(this.engine.state) : [];
  }

  searchJobs(query: JobSearch): Json[] {
    return this.engine ? searchJobs(this.engine.state, query) : [];
  }

  getJob(name: string): Json | undefined {
    return this.engine ? jobJson(this.engine.state, name) : undefined;
  }

  putScheduledJob(json: unknown): Promise<void> {
    return this.call('create or replace a job', (e) => e.putJob(json, 'scheduled'));
  }

  putDependentJob(json: unknown): Promise<void> {
    return this.call('create or replace a dependent job', (e) => e.putJob(json, 'dependent'));
  }

  deleteJob(name: string): Promise<void> {
    return this.call('delete a job', (e) => e.deleteJob(name));
  }

  runJob(name: string, args?: readonly string[]): Promise<{ runId: string }> {
    return this.call('run a job', (e) => e.runJob(name, args));
  }

  killJobTasks(name: string): Promise<number> {
    return this.call("kill a job's tasks", (e) => e.killJobTasks(name));
  }

  graphCsv(): string {
    return this.engine ? graphCsv(this.engine.state) : '';
  }

  graphJson(): Json {
    return this.engine ? graphJson(this.engine.state) : { nodes: [], edges: [] };
  }

  jobStats(name: string): { counters: Json; history: RunHistoryEntry[] } | undefined {
    return this.engine ? jobStats(this.engine.state, name, this.frameworkId()) : undefined;
  }

  isLeader(): boolean {
    return this.leadership.isLeader;
  }

  leaderUrl(): string | undefined {
    return this.leadership.leader()?.url;
  }

  private async call<T>(what: string, fn: (e: ChronosEngine) => Promise<T>): Promise<T> {
    return fn(this.need(what));
  }
}
