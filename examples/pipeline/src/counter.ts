#!/usr/bin/env node
// The counting stage's custom executor: its one task stays RUNNING while the
// framework sends it chunks of text (MESSAGE `count`); each is answered with
// the chunk's word counts (executor MESSAGE `counted`). A chunk sent again is
// counted again: the answer is the same. `stop` ends the task.
import { ExecutorDriver, createLogger, runExecutor } from '@mesocosm/framework-sdk';
import { decodeToStage, encodeMessage } from './wire.js';
import { countWords } from './words.js';

const driver = new ExecutorDriver({ logger: createLogger('counter', 'warn') });
const counted = new Set<number>();
let stop: () => void = () => {};
const stopped = new Promise<void>((resolve) => (stop = resolve));

await runExecutor(
  {
    async launch() {
      await stopped;
      return { message: `counted ${counted.size} chunks` };
    },
    message(data) {
      let m;
      try {
        m = decodeToStage(data);
      } catch (err) {
        process.stderr.write(`counter: ignoring a message: ${(err as Error).message}\n`);
        return;
      }
      if (m.type === 'count') {
        counted.add(m.id);
        driver.sendMessage(encodeMessage({ type: 'counted', id: m.id, words: [...countWords(m.text)] }));
      } else if (m.type === 'stop') stop();
    },
  },
  { driver },
);
