// What the example prints when the run is over. Pure.
import type { Instance } from './instances.js';

/**
 * One line per instance (`  placement-1  node-a  zone=eu-1  127.0.0.1:31004  answered`),
 * the offers refused and why, then a verdict line.
 */
export function formatSummary(
  instances: readonly Instance[],
  constraints: string,
  rejections: Readonly<Record<string, number>>,
): string[] {
  const width = Math.max(...instances.map((i) => i.taskId.length));
  const lines = instances.map((i) => {
    const attrs = Object.entries(i.attributes)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const where = i.port === undefined ? 'not placed' : `${i.hostname}  ${attrs || '-'}  ${i.address}:${i.port}`;
    const how = i.answered ? 'answered' : `${i.state}${i.message ? ` (${i.message})` : ''}`;
    return `  ${i.taskId.padEnd(width)}  ${where}  ${how}`;
  });
  const refused = Object.entries(rejections)
    .sort((a, b) => b[1] - a[1])
    .map(([why, n]) => `${why} (${n})`);
  if (refused.length > 0) lines.push(`  offers refused: ${refused.join(', ')}`);
  const answered = instances.filter((i) => i.answered).length;
  const hosts = new Set(instances.filter((i) => i.port !== undefined).map((i) => i.hostname)).size;
  lines.push(
    `placement: ${answered} of ${instances.length} instances answering on their ports, ` +
      `on ${hosts} host${hosts === 1 ? '' : 's'}, with ${constraints}`,
  );
  return lines;
}
