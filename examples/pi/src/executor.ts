#!/usr/bin/env node
// The pi example's custom executor, started by the agent for one task: it
// reads the task's Work (seed, samples) from its `data`, counts the points
// inside the quarter circle, and finishes the task with the Sample as the
// update's `data`, which is how the count reaches the framework.
import { runExecutor } from '@mesocosm/framework-sdk';
import { countInside } from './monte-carlo.js';
import { decodeWork, encodeSample } from './wire.js';

await runExecutor({
  launch(task) {
    // A malformed `data` throws: the task ends TASK_FAILED with the reason.
    return { data: encodeSample(countInside(decodeWork(task.data))) };
  },
});
