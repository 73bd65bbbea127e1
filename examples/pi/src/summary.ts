// What the example prints when the job is over. Pure.
import type { TaskOutcome } from './job.js';

/**
 * One line per task (`  pi-1  seed=1  785398/1000000 inside  agent=<id>`),
 * then the estimate: `pi ≈ 3.1415880 from 4000000 samples in 4 tasks on 2 agents (off by 0.0000047)`.
 */
export function formatSummary(results: readonly TaskOutcome[], estimate: number | undefined): string[] {
  const width = Math.max(...results.map((r) => r.taskId.length), 4);
  const lines = results.map((r) => {
    const what =
      r.inside === undefined ? `${r.state}${r.message ? ` (${r.message})` : ''}` : `${r.inside}/${r.samples} inside`;
    return `  ${r.taskId.padEnd(width)}  seed=${r.seed}  ${what}  agent=${r.agentId || '-'}`;
  });
  const agents = new Set(results.map((r) => r.agentId).filter((a) => a !== '')).size;
  if (estimate === undefined) {
    const finished = results.filter((r) => r.inside !== undefined).length;
    lines.push(`pi: no estimate: ${finished} of ${results.length} tasks finished with a result`);
    return lines;
  }
  const samples = results.reduce((n, r) => n + r.samples, 0);
  lines.push(
    `pi ≈ ${estimate.toFixed(7)} from ${samples} samples in ${results.length} task${results.length === 1 ? '' : 's'} ` +
      `on ${agents} agent${agents === 1 ? '' : 's'} (off by ${Math.abs(estimate - Math.PI).toFixed(7)})`,
  );
  return lines;
}
