// The core of the placement framework: the instances it wants (resources, a
// host port, constraints), where each one landed, and which answered on its
// port. Pure: the run loop (run.ts) feeds it launches, status updates and
// probe answers.
import {
  Resources,
  attributesToRecord,
  formatConstraint,
  portsOf,
  type Constraint,
  type ICommandInfo,
  type LaunchedTask,
  type WantedTask,
} from '@mesocosm/framework-sdk';

/** Resources of each instance (plus one port from the offer's `ports`). */
export const INSTANCE_RESOURCES = 'cpus:0.1;mem:64';

/** What the framework runs. */
export interface PlacementConfig {
  instances: number;
  /** Marathon constraints every instance must meet. */
  constraints: readonly Constraint[];
  /** Framework name; prefix of the task IDs (`<name>-1`, ...). */
  name: string;
}

/** One instance, as the framework sees it. */
export interface Instance {
  taskId: string;
  /** Task state name; `PENDING` before it is launched. */
  state: string;
  agentId: string;
  hostname: string;
  /** The agent's attributes, as text. */
  attributes: Record<string, string>;
  /** Where to reach it: the agent's address (from the offer's URL) and the port it got. */
  address: string;
  port: number | undefined;
  /** True once it answered on its port as itself. */
  answered: boolean;
  message: string;
  terminal: boolean;
}

/** See the file comment. */
export class InstanceBook {
  private readonly byId = new Map<string, Instance>();

  constructor(readonly config: PlacementConfig) {
    for (let i = 1; i <= config.instances; i++) {
      const taskId = `${config.name}-${i}`;
      this.byId.set(taskId, {
        taskId,
        state: 'PENDING',
        agentId: '',
        hostname: '',
        attributes: {},
        address: '',
        port: undefined,
        answered: false,
        message: '',
        terminal: false,
      });
    }
  }

  /** The tasks for the Scheduler: each with one port and the constraints, running `command`. */
  wanted(command: ICommandInfo): WantedTask[] {
    return [...this.byId.keys()].map((taskId) => ({
      taskId,
      resources: INSTANCE_RESOURCES,
      ports: 1,
      command,
      constraints: this.config.constraints,
    }));
  }

  /** The Scheduler launched `t`: where it goes and the port it got. */
  launched(t: LaunchedTask): void {
    const o = this.byId.get(t.taskId);
    if (!o) return;
    const url = t.offer.url ? new URL(t.offer.url) : undefined;
    Object.assign(o, {
      state: 'TASK_STAGING',
      agentId: t.offer.agentId?.value ?? '',
      hostname: t.offer.hostname ?? '',
      attributes: attributesToRecord(t.offer.attributes ?? []),
      address: url?.hostname.replace(/^\[(.*)\]$/, '$1') ?? '',
      port: portsOf(Resources.fromProto(t.task.resources))[0],
    });
  }

  /**
   * A status update. Returns true when the instance just started RUNNING (time
   * to check that it answers). Updates after a terminal state are ignored.
   */
  update(taskId: string, state: string, message: string, terminal: boolean): boolean {
    const o = this.byId.get(taskId);
    if (!o || o.terminal) return false;
    const wasRunning = o.state === 'TASK_RUNNING';
    Object.assign(o, { state, message, terminal });
    return state === 'TASK_RUNNING' && !wasRunning;
  }

  /** The URL that `taskId` should answer on, once it is placed. */
  url(taskId: string): string | undefined {
    const o = this.byId.get(taskId);
    if (!o?.address || o.port === undefined) return undefined;
    const host = o.address.includes(':') ? `[${o.address}]` : o.address;
    return `http://${host}:${o.port}/`;
  }

  /** An answer from the instance's port: it counts when it says it is that task, on that port. */
  answer(taskId: string, body: unknown): boolean {
    const o = this.byId.get(taskId);
    if (!o || typeof body !== 'object' || body === null) return false;
    const b = body as Record<string, unknown>;
    if (b['task'] !== taskId || b['port'] !== o.port) return false;
    o.answered = true;
    return true;
  }

  /** Why the run cannot succeed: an instance ended. */
  failure(): string | undefined {
    const ended = [...this.byId.values()].find((o) => o.terminal);
    return ended ? `${ended.taskId} ended ${ended.state}${ended.message ? ` (${ended.message})` : ''}` : undefined;
  }

  /** True once every instance answered on its port. */
  done(): boolean {
    return [...this.byId.values()].every((o) => o.answered);
  }

  /** The constraints as Marathon writes them (`hostname:UNIQUE`). */
  constraintsText(): string {
    return this.config.constraints.map(formatConstraint).join(', ') || 'no constraints';
  }

  /** Every instance, in order. */
  instances(): Instance[] {
    return [...this.byId.values()].map((o) => ({ ...o, attributes: { ...o.attributes } }));
  }
}
