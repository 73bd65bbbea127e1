// The core of the pi framework: the tasks (one seed each), what each one
// reported, and the combined estimate. Pure: the run loop (run.ts) feeds it
// status updates; the Scheduler does the placing.
import type { IExecutorInfo, WantedTask } from '@mesocosm/framework-sdk';
import { estimatePi, seedsFrom, type Sample, type Work } from './monte-carlo.js';
import { decodeSample, encodeWork, WireError } from './wire.js';

/** What the job computes. */
export interface PiConfig {
  /** How many tasks. */
  tasks: number;
  /** Points drawn by each task. */
  samples: number;
  /** Seed of the first task; task i uses `seed + i`. */
  seed: number;
  /** Framework name; also the prefix of the task IDs (`<name>-1`, ...). */
  name: string;
}

/** Resources of each task; the executor runs inside them (its ExecutorInfo holds none of its own). */
export const TASK_RESOURCES = 'cpus:0.1;mem:128';

/** One task's outcome. */
export interface TaskOutcome extends Work {
  taskId: string;
  /** Task state name (`TASK_FINISHED`, ...), or `PENDING` before any update. */
  state: string;
  agentId: string;
  /** Points inside the quarter circle, once the task FINISHED with a valid result. */
  inside: number | undefined;
  /** The task's status message, or why its result was refused. */
  message: string;
  terminal: boolean;
}

const TERMINAL = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** See the file comment. */
export class PiJob {
  private readonly outcomes = new Map<string, TaskOutcome>();

  constructor(readonly config: PiConfig) {
    seedsFrom(config.seed, config.tasks).forEach((seed, i) => {
      const taskId = `${config.name}-${i + 1}`;
      this.outcomes.set(taskId, {
        taskId,
        seed,
        samples: config.samples,
        state: 'PENDING',
        agentId: '',
        inside: undefined,
        message: '',
        terminal: false,
      });
    });
  }

  /**
   * The tasks for the Scheduler: each runs `executor` (one executor per task,
   * its ID the task's) with its Work in `data`.
   */
  wanted(executor: IExecutorInfo): WantedTask[] {
    return [...this.outcomes.values()].map((o) => ({
      taskId: o.taskId,
      resources: TASK_RESOURCES,
      executor: { ...executor, executorId: { value: o.taskId } },
      data: encodeWork(o),
    }));
  }

  /**
   * Records a status update; a TASK_FINISHED must carry a valid result for the
   * task's own seed and sample count, else the task counts as failed. Updates
   * for unknown tasks or after a terminal state are ignored; returns whether
   * the book changed.
   */
  update(taskId: string, state: string, agentId: string, message: string, data?: Uint8Array | null): boolean {
    const o = this.outcomes.get(taskId);
    if (!o || o.terminal) return false;
    Object.assign(o, { state, agentId: agentId || o.agentId, message, terminal: TERMINAL.has(state) });
    if (state !== 'TASK_FINISHED') return true;
    try {
      const sample: Sample = decodeSample(data);
      if (sample.seed !== o.seed || sample.samples !== o.samples)
        throw new WireError(`result is for seed ${sample.seed} × ${sample.samples}, not ${o.seed} × ${o.samples}`);
      o.inside = sample.inside;
    } catch (err) {
      o.message = `bad result: ${err instanceof Error ? err.message : String(err)}`;
    }
    return true;
  }

  /** True once every task is terminal. */
  done(): boolean {
    return [...this.outcomes.values()].every((o) => o.terminal);
  }

  /** True when every task FINISHED with a valid result. */
  succeeded(): boolean {
    return [...this.outcomes.values()].every((o) => o.state === 'TASK_FINISHED' && o.inside !== undefined);
  }

  /** The combined estimate, once {@link succeeded}. */
  estimate(): number | undefined {
    if (!this.succeeded()) return undefined;
    return estimatePi([...this.outcomes.values()].map((o) => ({ ...o, inside: o.inside ?? 0 })));
  }

  /** Every task's outcome, in task order. */
  results(): TaskOutcome[] {
    return [...this.outcomes.values()].map((o) => ({ ...o }));
  }
}
