// The tasks this Scheduler launched and that have not reached a terminal
// state: the default answer to "where do the key's tasks run" (constraints)
// and "which tasks do we know" (reconciliation) when the framework keeps no
// book of its own.
import { isTerminalState } from '@mesocosm/protocol';
import type { IOffer, ITaskStatus } from '@mesocosm/protocol';
import type { ReconcileTask } from '../calls.js';
import type { Placement } from '../matching/constraints-values.js';

interface Entry {
  readonly key: string;
  readonly agentId: string;
  readonly placement: Placement;
}

/** @internal */
export class LaunchedBook {
  private readonly tasks = new Map<string, Entry>();

  launched(key: string, taskId: string, offer: IOffer): void {
    this.tasks.set(taskId, {
      key,
      agentId: offer.agentId?.value ?? '',
      placement: { hostname: offer.hostname ?? '', attributes: offer.attributes ?? [] },
    });
  }

  /** Forgets a task once it is terminal. */
  update(status: ITaskStatus): void {
    if (isTerminalState(status.state)) this.tasks.delete(status.taskId?.value ?? '');
  }

  placed(key: string): Placement[] {
    return [...this.tasks.values()].filter((e) => e.key === key).map((e) => e.placement);
  }

  known(): ReconcileTask[] {
    return [...this.tasks].map(([taskId, e]) => ({ taskId, ...(e.agentId ? { agentId: e.agentId } : {}) }));
  }
}
