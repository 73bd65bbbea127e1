// The summary the example prints when the batch is over.
import type { TaskOutcome } from './batch.js';

/**
 * One line per task (`  <task> <STATE> agent=<id>`), then the totals:
 * `batch-shell: 6 tasks, 6 finished, 0 failed, on 2 agents, in 1.2 s`.
 */
export function formatSummary(name: string, results: readonly TaskOutcome[], elapsedMs: number): string[] {
  const width = Math.max(...results.map((r) => r.taskId.length), 4);
  const lines = results.map((r) => {
    const why = r.message && r.state !== 'TASK_FINISHED' ? `  (${r.message})` : '';
    return `  ${r.taskId.padEnd(width)}  ${r.state.padEnd(13)}  agent=${r.agentId || '-'}${why}`;
  });
  const finished = results.filter((r) => r.state === 'TASK_FINISHED').length;
  const agents = new Set(results.map((r) => r.agentId).filter((a) => a !== '')).size;
  const seconds = (elapsedMs / 1000).toFixed(1);
  lines.push(
    `${name}: ${results.length} tasks, ${finished} finished, ${results.length - finished} not finished, ` +
      `on ${agents} agent${agents === 1 ? '' : 's'}, in ${seconds} s`,
  );
  return lines;
}
