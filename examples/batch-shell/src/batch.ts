// The core of the batch-shell framework: which tasks exist, which still need
// an offer, what became of each, and when the batch is over. Pure: no driver,
// no I/O; the run loop (run.ts) feeds it offers' outcomes and status updates.

/** What the batch runs. */
export interface BatchConfig {
  /** How many tasks. */
  tasks: number;
  /** Shell command of each task (`$MESOS_TASK_ID` tells them apart). */
  cmd: string;
  cpus: number;
  mem: number;
  /** Framework name; also the prefix of the task IDs (`<name>-1`, ...). */
  name: string;
}

/** A task the batch wants launched: the shape the SDK's matchOffers takes. */
export interface PendingTask {
  taskId: string;
  resources: string;
  command: { value: string; shell: boolean };
}

/** What became of one task. */
export interface TaskOutcome {
  taskId: string;
  /** Task state name (`TASK_FINISHED`, ...), or `PENDING` before any update. */
  state: string;
  agentId: string;
  message: string;
  terminal: boolean;
}

/** Task states after which a task never changes (Mesos' terminal states). */
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

/** The batch's book: launch once each task, wait until all are terminal. */
export class Batch {
  private readonly outcomes = new Map<string, TaskOutcome>();
  private readonly unlaunched: string[];

  constructor(readonly config: BatchConfig) {
    const ids = Array.from({ length: config.tasks }, (_, i) => `${config.name}-${i + 1}`);
    this.unlaunched = [...ids];
    for (const taskId of ids) {
      this.outcomes.set(taskId, { taskId, state: 'PENDING', agentId: '', message: '', terminal: false });
    }
  }

  /** Tasks still waiting for an offer, in order. */
  pending(): PendingTask[] {
    const { cpus, mem, cmd } = this.config;
    return this.unlaunched.map((taskId) => ({
      taskId,
      resources: `cpus:${cpus};mem:${mem}`,
      command: { value: cmd, shell: true },
    }));
  }

  /** Whether some task still waits for an offer (else the framework should SUPPRESS). */
  hasPending(): boolean {
    return this.unlaunched.length > 0;
  }

  /** Records that `taskId` was sent to `agentId` in an ACCEPT. */
  launched(taskId: string, agentId: string): void {
    const i = this.unlaunched.indexOf(taskId);
    if (i < 0) return;
    this.unlaunched.splice(i, 1);
    const o = this.outcomes.get(taskId);
    if (o) Object.assign(o, { state: 'TASK_STAGING', agentId });
  }

  /**
   * Records a status update. Updates about unknown tasks, or after a task's
   * terminal state, are ignored; returns whether the book changed.
   */
  update(taskId: string, state: string, agentId = '', message = ''): boolean {
    const o = this.outcomes.get(taskId);
    if (!o || o.terminal) return false;
    const i = this.unlaunched.indexOf(taskId);
    if (i >= 0) this.unlaunched.splice(i, 1);
    o.state = state;
    o.agentId = agentId || o.agentId;
    o.message = message;
    o.terminal = TERMINAL.has(state);
    return true;
  }

  /** True once every task is in a terminal state. */
  done(): boolean {
    return [...this.outcomes.values()].every((o) => o.terminal);
  }

  /** True when every task FINISHED. */
  succeeded(): boolean {
    return [...this.outcomes.values()].every((o) => o.state === 'TASK_FINISHED');
  }

  /** Every task's outcome, in task order. */
  results(): TaskOutcome[] {
    return [...this.outcomes.values()].map((o) => ({ ...o }));
  }
}
