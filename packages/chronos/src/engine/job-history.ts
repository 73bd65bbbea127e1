// A job's history: the last N finished runs (newest first) and Chronos'
// counters. Pure; the engine persists `toRecord()` under history/<job>.
import type { RunHistoryEntry } from '../service/chronos-service.js';
import { emptyCounters, type HistoryRecord, type JobCounters, type RunRecord } from '../state/records.js';

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

/**
 * The agent's `/files/read` link to a file of a task's sandbox. The agent
 * serves paths relative to its sandboxes root
 * (`<framework>/tasks/<task>/run-<n>/<file>`, docs/contracts.md); a task ID
 * is launched once per attempt, so its sandbox is `run-1`. `offset=0` reads
 * from the start (without it the agent answers only the size, as Mesos).
 */
export function sandboxFileUrl(agentUrl: string, frameworkId: string, taskId: string, file: string): string {
  const path = `${frameworkId}/tasks/${taskId}/run-1/${file}`;
  return `${agentUrl.replace(/\/$/, '')}/files/read?path=${encodeURIComponent(path)}&offset=0`;
}

/** A history entry for a run (its current attempt), with sandbox links when the agent is known. */
export function historyEntry(
  run: RunRecord,
  outcome: RunHistoryEntry['outcome'],
  frameworkId: string | undefined,
  reason?: string,
): RunHistoryEntry {
  const entry: RunHistoryEntry = {
    runId: run.runId,
    taskId: run.taskId,
    scheduledAt: new Date(run.scheduledTime).toISOString(),
    outcome,
    attempt: run.attempt,
  };
  const startedAt = iso(run.startedAt);
  const finishedAt = iso(run.finishedAt);
  if (startedAt !== undefined) entry.startedAt = startedAt;
  if (finishedAt !== undefined) entry.finishedAt = finishedAt;
  const why = reason ?? run.reason;
  if (why !== undefined) entry.reason = why;
  if (run.agentId !== undefined) entry.agentId = run.agentId;
  if (run.agentUrl !== undefined && run.agentUrl !== '' && frameworkId !== undefined) {
    entry.stdoutUrl = sandboxFileUrl(run.agentUrl, frameworkId, run.taskId, 'stdout');
    entry.stderrUrl = sandboxFileUrl(run.agentUrl, frameworkId, run.taskId, 'stderr');
  }
  return entry;
}

/** One job's counters and last runs. */
export class JobHistory {
  private readonly counters: JobCounters;
  private entries: RunHistoryEntry[];

  constructor(
    private readonly limit: number,
    record?: HistoryRecord,
  ) {
    this.counters = { ...(record?.counters ?? emptyCounters()) };
    this.entries = [...(record?.entries ?? [])].slice(0, limit);
  }

  /**
   * Adds a finished attempt or run. `final` says whether it is the run's
   * outcome (counted) or an attempt that will be retried (listed only).
   */
  add(entry: RunHistoryEntry, final: boolean): void {
    this.entries = [entry, ...this.entries].slice(0, this.limit);
    if (!final) return;
    const at = entry.finishedAt ?? entry.scheduledAt;
    if (entry.outcome === 'success') {
      this.counters.successCount++;
      this.counters.lastSuccess = at;
      this.counters.errorsSinceLastSuccess = 0;
    } else if (entry.outcome === 'failure') {
      this.counters.errorCount++;
      this.counters.lastError = at;
      this.counters.errorsSinceLastSuccess++;
    } else if (entry.outcome === 'skipped') {
      this.counters.skippedCount++;
    }
  }

  /** The counters (a copy). */
  stats(): JobCounters {
    return { ...this.counters };
  }

  /** Newest first. */
  list(): RunHistoryEntry[] {
    return [...this.entries];
  }

  /** The run IDs listed. */
  runIds(): Set<string> {
    return new Set(this.entries.map((e) => e.runId));
  }

  toRecord(): HistoryRecord {
    return { counters: this.stats(), entries: this.list() };
  }
}
