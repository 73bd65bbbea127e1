// What the example prints when the pipeline is over. Pure.
import type { Merged, StageTask } from './pipeline.js';

/**
 * One line per stage task (`  pipeline-count-1  counted 2 chunks  TASK_FINISHED  agent=<id>`),
 * the totals (`pipeline: 6 chunks, 160 words (96 distinct), counted by 3 executors on 2 agents`),
 * then the top words, one per line (`    12  the`).
 */
export function formatSummary(name: string, tasks: readonly StageTask[], merged: Merged | undefined): string[] {
  const width = Math.max(...tasks.map((t) => t.taskId.length));
  const lines = tasks.map((t) => {
    const what = t.stage === 'count' ? `counted ${t.chunks} chunk${t.chunks === 1 ? '' : 's'}` : 'merged';
    return `  ${t.taskId.padEnd(width)}  ${what.padEnd(17)}  ${t.state.padEnd(13)}  agent=${t.agentId || '-'}`;
  });
  if (!merged) {
    lines.push(`${name}: no result`);
    return lines;
  }
  const counters = tasks.filter((t) => t.stage === 'count');
  const agents = new Set(counters.map((t) => t.agentId).filter((a) => a !== '')).size;
  lines.push(
    `${name}: ${merged.chunks} chunks, ${merged.total} words (${merged.distinct} distinct), ` +
      `counted by ${counters.length} executor${counters.length === 1 ? '' : 's'} on ${agents} agent${agents === 1 ? '' : 's'}`,
  );
  const countWidth = Math.max(...merged.top.map(([, n]) => String(n).length), 1);
  for (const [word, n] of merged.top) lines.push(`  ${String(n).padStart(countWidth + 2)}  ${word}`);
  return lines;
}
