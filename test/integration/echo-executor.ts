// The custom executor of the executor integration tests, as a module run with
// `node --input-type=module -e`.
import { MAX_MESSAGE_DATA_BYTES } from '@mesocosm/framework-sdk';

/**
 * The executor, as a module run with `node --input-type=module -e`: its one task
 * runs until the framework says `stop`; `ping N` is answered with `pong N`, and
 * `big` with a message over the limit, then `after big`.
 */
export function echoExecutorScript(): string {
  const sdk = import.meta.resolve('@mesocosm/framework-sdk');
  return `
const { ExecutorDriver, runExecutor, createLogger } = await import(${JSON.stringify(sdk)});
const driver = new ExecutorDriver({ logger: createLogger('echo-executor', 'warn') });
let stop = () => {};
const stopped = new Promise((resolve) => (stop = resolve));
await runExecutor(
  {
    launch: async () => {
      await stopped;
      return { data: 'stopped' };
    },
    message: (data) => {
      const text = Buffer.from(data).toString();
      if (text.startsWith('ping ')) driver.sendMessage('pong ' + text.slice(5));
      if (text === 'big') {
        driver.sendMessage(Buffer.alloc(${MAX_MESSAGE_DATA_BYTES + 1}, 'x'));
        driver.sendMessage('after big');
      }
      if (text === 'stop') stop();
    },
  },
  { driver },
);`;
}
