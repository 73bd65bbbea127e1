// A ChronosService fake for the HTTP tests: canned answers, recorded calls,
// switchable leadership, and an error to throw on the next call.
import type { ChronosService, Json, JobSearch, RunHistoryEntry } from '../../src/service/chronos-service.js';
import { UnknownJobError } from '../../src/errors.js';

/** One recorded call: the method name and its arguments. */
export interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
}

export class FakeChronosService implements ChronosService {
  readonly calls: Call[] = [];
  jobs: Json[] = [
    {
      name: 'extract',
      command: 'extract.sh',
      schedule: 'R/2030-01-01T02:00:00.000Z/P1D',
      successCount: 3,
      errorCount: 1,
    },
    { name: 'load', command: 'load.sh', parents: ['extract'], successCount: 2, errorCount: 0 },
  ];
  history: RunHistoryEntry[] = [
    {
      runId: 'extract@1000',
      taskId: 'ct:1000:0:extract',
      scheduledAt: '2030-01-01T02:00:00.000Z',
      startedAt: '2030-01-01T02:00:01.000Z',
      finishedAt: '2030-01-01T02:00:04.000Z',
      outcome: 'success',
      attempt: 0,
    },
    {
      runId: 'extract@2000',
      taskId: 'ct:2000:0:extract',
      scheduledAt: '2030-01-02T02:00:00.000Z',
      outcome: 'running',
      attempt: 0,
    },
  ];
  csv = 'node,extract,success,idle\nnode,load,fresh,idle\nlink,extract,load\n';
  leader = true;
  leaderAt: string | undefined = undefined;
  /** Thrown by the next service call, then cleared. */
  failNext: Error | undefined = undefined;

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const err = this.failNext;
    this.failNext = undefined;
    if (err !== undefined) throw err;
  }

  private known(name: string): void {
    if (!this.jobs.some((j) => j['name'] === name)) throw new UnknownJobError(name);
  }

  /** The calls of one method. */
  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  listJobs(): Json[] {
    this.record('listJobs');
    return this.jobs;
  }
  searchJobs(query: JobSearch): Json[] {
    this.record('searchJobs', query);
    return this.jobs.filter((j) => query.name === undefined || String(j['name']).includes(query.name));
  }
  getJob(name: string): Json | undefined {
    this.record('getJob', name);
    return this.jobs.find((j) => j['name'] === name);
  }
  async putScheduledJob(json: unknown): Promise<void> {
    await Promise.resolve();
    this.record('putScheduledJob', json);
  }
  async putDependentJob(json: unknown): Promise<void> {
    await Promise.resolve();
    this.record('putDependentJob', json);
  }
  async deleteJob(name: string): Promise<void> {
    await Promise.resolve();
    this.record('deleteJob', name);
    this.known(name);
  }
  async runJob(name: string, args?: readonly string[]): Promise<{ runId: string }> {
    await Promise.resolve();
    this.record('runJob', name, args);
    this.known(name);
    return { runId: `${name}@42` };
  }
  async killJobTasks(name: string): Promise<number> {
    await Promise.resolve();
    this.record('killJobTasks', name);
    this.known(name);
    return 2;
  }
  graphCsv(): string {
    this.record('graphCsv');
    return this.csv;
  }
  graphJson(): Json {
    this.record('graphJson');
    return {
      nodes: [
        { name: 'extract', lastStatus: 'success', state: 'idle' },
        { name: 'load', lastStatus: 'fresh', state: 'idle' },
      ],
      edges: [{ parent: 'extract', child: 'load' }],
    };
  }
  jobStats(name: string): { counters: Json; history: RunHistoryEntry[] } | undefined {
    this.record('jobStats', name);
    if (!this.jobs.some((j) => j['name'] === name)) return undefined;
    return { counters: { successCount: 3, errorCount: 1 }, history: this.history };
  }
  isLeader(): boolean {
    return this.leader;
  }
  leaderUrl(): string | undefined {
    return this.leaderAt;
  }
}
