#!/usr/bin/env node
// docs/sdk.md, "The executor driver": a custom executor, started by the agent
// once per framework and agent, running every task sent to it. Each task's
// `data` is some text; the task ends with the text in upper case as its result.
// #region executor
import { runExecutor } from '@mesocosm/framework-sdk';

await runExecutor({
  async launch(task, { signal }) {
    const text = Buffer.from(task.data ?? []).toString();
    await new Promise((resolve) => setTimeout(resolve, 50)); // some work
    if (signal.aborted) return; // killed meanwhile: the driver reports TASK_KILLED
    return { data: text.toUpperCase() }; // TASK_FINISHED, with the result in the update's data
  },
});
// #endregion executor
