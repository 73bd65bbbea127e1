// docs/sdk.md, "The executor driver": the framework side, tasks that run on
// the custom executor of shout-executor.ts.
// #region executor-tasks
import { Resources, type IExecutorInfo, type WantedTask } from '@mesocosm/framework-sdk';

/** One task per word, each run by `node <executorPath>` (one executor process per agent). */
export function shoutTasks(words: string[], executorPath: string): WantedTask[] {
  const executor: IExecutorInfo = {
    executorId: { value: 'shouter' },
    name: 'shout executor',
    command: { value: process.execPath, arguments: ['node', executorPath] }, // argv[0] included, as Mesos
    resources: Resources.parse('cpus:0.1;mem:64').toProto(), // held once per agent, besides the tasks'
  };
  return words.map((word, i) => ({
    taskId: `shout-${i}`,
    resources: 'cpus:0.1;mem:16',
    executor,
    data: Buffer.from(word),
  }));
}
// #endregion executor-tasks
