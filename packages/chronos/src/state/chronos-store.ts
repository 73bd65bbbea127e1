// Chronos' records over the SDK's StateStore (ZooKeeper, a directory, or
// memory): typed reads and writes, one record per job, cursor, run and
// history, so that no record grows with the number of jobs.
import type { StateStore } from '@mesocosm/framework-sdk/ha';
import type { DependencyState } from '../schedule/dependency-state.js';
import {
  COLLECTIONS,
  GRAPH_KEY,
  readCursor,
  readHistoryRecord,
  readJobRecord,
  readRunRecord,
  type HistoryRecord,
  type JobRecord,
  type LoadedState,
  type RunRecord,
} from './records.js';

/**
 * Typed access to Chronos' state. Writes resolve once persisted; with
 * ZooKeeper they are fenced by the leadership (`NotLeaderError` on a standby).
 *
 * @example
 * ```ts
 * const chronosStore = new ChronosStore(ha.store);
 * if ((await chronosStore.createRun(run)).created) launch(run.taskId);
 * ```
 */
export class ChronosStore {
  constructor(readonly store: StateStore) {}

  /** Everything, as read at election. Unreadable records are listed in `problems`, not thrown. */
  async load(): Promise<LoadedState> {
    const problems: string[] = [];
    const read = async <T>(collection: string, parse: (v: unknown) => T | string): Promise<Map<string, T>> => {
      const out = new Map<string, T>();
      for (const key of await this.store.list(collection)) {
        const record = await this.store.get(collection, key);
        if (record === undefined) continue;
        const value = parse(record.value);
        if (typeof value === 'string') problems.push(`${collection}/${key}: ${value}`);
        else out.set(key, value);
      }
      return out;
    };
    const jobs = await read(COLLECTIONS.jobs, readJobRecord);
    const cursors = await read<number | null>(COLLECTIONS.cursors, readCursor);
    const runs = await read(COLLECTIONS.runs, readRunRecord);
    const histories = await read(COLLECTIONS.history, readHistoryRecord);
    const graph = await this.store.get(COLLECTIONS.engine, GRAPH_KEY);
    const deps = (graph?.value as { dependencies?: unknown } | undefined)?.dependencies;
    const dependencies = typeof deps === 'object' && deps !== null ? (deps as DependencyState) : {};
    return { jobs, cursors, runs, histories, dependencies, problems };
  }

  putJob(name: string, job: JobRecord): Promise<number> {
    return this.store.put(COLLECTIONS.jobs, name, job);
  }

  async deleteJob(name: string): Promise<void> {
    await this.store.delete(COLLECTIONS.jobs, name);
    await this.store.delete(COLLECTIONS.cursors, name);
    await this.store.delete(COLLECTIONS.history, name);
  }

  putCursor(job: string, lastScheduled: number | null): Promise<number> {
    return this.store.put(COLLECTIONS.cursors, job, { lastScheduled });
  }

  /** Create-if-absent: only the instance that gets `true` may launch the run. */
  async createRun(run: RunRecord): Promise<boolean> {
    return (await this.store.create(COLLECTIONS.runs, run.runId, run)).created;
  }

  putRun(run: RunRecord): Promise<number> {
    return this.store.put(COLLECTIONS.runs, run.runId, run);
  }

  deleteRun(runId: string): Promise<boolean> {
    return this.store.delete(COLLECTIONS.runs, runId);
  }

  putHistory(job: string, history: HistoryRecord): Promise<number> {
    return this.store.put(COLLECTIONS.history, job, history);
  }

  putGraph(dependencies: DependencyState): Promise<number> {
    return this.store.put(COLLECTIONS.engine, GRAPH_KEY, { dependencies });
  }
}
