#!/usr/bin/env node
// The custom executor: started once by the agent for all the example's tasks
// on that agent. Each task's `data` is a number n; the task finishes with
// `fib(n) = ...` (and the executor's pid, to show that tasks share it) as
// its result in the update's `data`.
import { runExecutor } from '@mesocosm/framework-sdk';
import { fibonacci } from './fibonacci.js';

await runExecutor({
  launch(task) {
    const n = Number(Buffer.from(task.data ?? []).toString());
    return { data: `fib(${n}) = ${fibonacci(n)} (executor pid ${process.pid})` };
  },
});
