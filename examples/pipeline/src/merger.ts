#!/usr/bin/env node
// The merging stage's custom executor (the fan-in): its one task stays
// RUNNING while the framework forwards it every chunk's counts (MESSAGE
// `merge`, a chunk sent again is merged once). On `finish` with every chunk
// ID it answers `merged` (totals and the top words) when it holds them all,
// else `missing` with the IDs it lacks. `stop` ends the task.
import { ExecutorDriver, createLogger, runExecutor } from '@mesocosm/framework-sdk';
import { decodeToStage, encodeMessage, type FromStage } from './wire.js';
import { addCounts, topWords, totalWords, type WordCounts } from './words.js';

/** How many top words `merged` carries (the task's `data` may say otherwise). */
const DEFAULT_TOP = 10;

const driver = new ExecutorDriver({ logger: createLogger('merger', 'warn') });
const merged = new Set<number>();
const counts: WordCounts = new Map();
let top = DEFAULT_TOP;
let stop: () => void = () => {};
const stopped = new Promise<void>((resolve) => (stop = resolve));

function answer(ids: readonly number[]): FromStage {
  const missing = ids.filter((id) => !merged.has(id));
  if (missing.length > 0) return { type: 'missing', ids: missing };
  return {
    type: 'merged',
    chunks: merged.size,
    total: totalWords(counts),
    distinct: counts.size,
    top: topWords(counts, top),
  };
}

await runExecutor(
  {
    async launch(task) {
      const asked = Number(Buffer.from(task.data ?? []).toString());
      if (Number.isInteger(asked) && asked > 0) top = asked;
      await stopped;
      return { message: `merged ${merged.size} chunks, ${counts.size} distinct words` };
    },
    message(data) {
      let m;
      try {
        m = decodeToStage(data);
      } catch (err) {
        process.stderr.write(`merger: ignoring a message: ${(err as Error).message}\n`);
        return;
      }
      if (m.type === 'merge' && !merged.has(m.id)) {
        merged.add(m.id);
        addCounts(counts, m.words);
      } else if (m.type === 'finish') driver.sendMessage(encodeMessage(answer(m.ids)));
      else if (m.type === 'stop') stop();
    },
  },
  { driver },
);
