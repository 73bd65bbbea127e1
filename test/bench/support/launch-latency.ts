// Launch latency through a real master and agent: one task at a time, the
// time from the ACCEPT being sent to TASK_RUNNING and to TASK_FINISHED
// arriving at the framework. Also the end-to-end throughput of a batch.
import type { TaskRequest } from '@mesocosm/framework-sdk';
import { BenchTaskError, withDeadline } from '../errors.js';
import type { BenchFramework } from './bench-framework.js';

/** Per-task latencies (ms) from ACCEPT sent. */
export interface LaunchLatencies {
  running: number[];
  finished: number[];
}

const TASK_DEADLINE_MS = 60_000;

/**
 * Launches `count` tasks one after the other (each once the previous one is
 * FINISHED), `request(i)` describing task i, and returns the latencies.
 */
export async function sequentialLaunches(
  fw: BenchFramework,
  count: number,
  request: (i: number) => TaskRequest,
): Promise<LaunchLatencies> {
  const out: LaunchLatencies = { running: [], finished: [] };
  for (let i = 0; i < count; i++) {
    const req = request(i);
    const { sentAt } = await withDeadline(launchAll(fw, [req]), TASK_DEADLINE_MS, `an offer for ${req.taskId}`);
    const states = await withDeadline(fw.finished(req.taskId), TASK_DEADLINE_MS, `${req.taskId} finishing`);
    const running = states.get('TASK_RUNNING');
    if (running !== undefined) out.running.push(running - sentAt);
    out.finished.push((states.get('TASK_FINISHED') ?? NaN) - sentAt);
  }
  return out;
}

/** Launches every request, waiting for offers while some do not fit. */
async function launchAll(fw: BenchFramework, requests: TaskRequest[]): Promise<{ sentAt: number }> {
  let pending = requests;
  let first: number | undefined;
  while (pending.length > 0) {
    const { unplaced, sentAt } = await fw.launch(pending);
    first ??= sentAt;
    pending = unplaced;
  }
  return { sentAt: first ?? performance.now() };
}

/**
 * Launches `count` tasks as fast as offers allow and waits until every one
 * is terminal: tasks per second from the batch being handed to the framework
 * (offers already held) to the last terminal update. Throws if any task did not FINISH.
 */
export async function batchThroughput(
  fw: BenchFramework,
  count: number,
  request: (i: number) => TaskRequest,
): Promise<number> {
  const before = fw.terminalCount;
  const start = performance.now();
  await withDeadline(
    launchAll(
      fw,
      Array.from({ length: count }, (_, i) => request(i)),
    ),
    TASK_DEADLINE_MS * 5,
    `launching ${count} tasks`,
  );
  await withDeadline(fw.terminalAtLeast(before + count), TASK_DEADLINE_MS * 5, `${count} tasks ending`);
  const rate = count / ((performance.now() - start) / 1000);
  const failed = fw.failures();
  if (failed.length > 0)
    throw new BenchTaskError(failed[0]?.taskId ?? '', failed[0]?.state ?? '', failed[0]?.message ?? '');
  return rate;
}
