// The engine's one door to the cluster. In production it is the SDK's
// Scheduler (offers matched, declined with a long filter, suppressed when
// idle); in unit tests a fake that records what the engine asked for.
import { DriverStoppedError, type Scheduler, type WantedTask } from '@mesocosm/framework-sdk';

/** What the engine asks of the cluster. Launches and status updates come back through the engine's handlers. */
export interface TaskPort {
  /** Wants the task of a run launched (replacing what the run wanted before). */
  want(runId: string, task: WantedTask): void;
  /** The run no longer wants a task (it was launched elsewhere, killed or skipped). */
  unwant(runId: string): void;
  /** Kills a launched task. */
  kill(taskId: string, agentId?: string): void;
}

/** A {@link TaskPort} over the SDK's Scheduler, one pending key per run. */
export function schedulerPort(scheduler: Scheduler): TaskPort {
  // A stopped driver (deposed, failed over) has nobody to send to: the next leader reconciles.
  const quietly = (fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof DriverStoppedError)) throw err;
    }
  };
  return {
    want: (runId, task) => quietly(() => scheduler.want(runId, task)),
    unwant: (runId) => quietly(() => scheduler.unwant(runId)),
    kill: (taskId, agentId) => quietly(() => scheduler.driver.kill(taskId, agentId)),
  };
}
