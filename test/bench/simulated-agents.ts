// Simulated agents for the control-plane benchmarks: N fake agents in this
// process, each a real gRPC client of the master's Agent service (its own
// HTTP/2 connection). They register with fixed resources, answer PING with
// HEARTBEAT, answer RUN_TASK with TASK_STARTING then TASK_RUNNING (and
// TASK_FINISHED when told to, at once or after a run time) and KILL_TASK with
// TASK_KILLED. No process is spawned: what is measured is the master and the
// framework, as in Mesos' and Nomad's scale tests. As the real agent, each
// task's updates go out in order, the next once the previous one is
// acknowledged (no resends: a bench that loses an update fails by its
// deadline). With a master detector they follow the leader as real agents
// do: when their stream breaks, they wait for a new leader and re-register
// there with their live tasks (support/simulated-agent.ts).
import { TaskState } from '@mesocosm/protocol';
import type { MasterDetector } from '@mesocosm/framework-sdk';
import type { IFrameworkInfo, ITaskInfo } from '@mesocosm/protocol';
import { BenchError, withDeadline } from './errors.js';
import { SimulatedAgent } from './support/simulated-agent.js';

/** Options of {@link SimulatedAgents.start}. */
export interface SimulatedAgentsOptions {
  /** The master's gRPC address (`host:port`); with a `detector`, the leader it found first. */
  master: string;
  /** How many agents. */
  count: number;
  /** What each agent offers, in Mesos' text form. Default `cpus:16;mem:65536;disk:1048576;ports:[31000-32000]`. */
  resources?: string;
  /** Hostname prefix: agent i is `<prefix>-<i>`. Default `sim`. */
  hostnamePrefix?: string;
  /** Whether a task reports TASK_FINISHED right after TASK_RUNNING (default: never; it runs until killed). */
  finishes?: (task: ITaskInfo, framework: IFrameworkInfo) => boolean;
  /**
   * How long a task runs (ms after its RUN_TASK arrived) before TASK_FINISHED;
   * `undefined` (from it, or unset) leaves the decision to `finishes`.
   */
  runMs?: (task: ITaskInfo, framework: IFrameworkInfo) => number | undefined;
  /** Send TASK_STARTING before TASK_RUNNING (default true, as the real agent). */
  reportStarting?: boolean;
  /** Called as each RUN_TASK arrives, with `Date.now()`-based wall time in fractional ms. */
  onRunTask?: (taskId: string, atMs: number) => void;
  /** Called as each update is first written to the master (wall time, fractional ms). */
  onUpdateSent?: (agentId: string, taskId: string, state: TaskState, atMs: number) => void;
  /** Called as an agent is re-registered with a new leader (wall time, fractional ms). */
  onReregistered?: (agentId: string, atMs: number) => void;
  /** Follow the leader: when a stream breaks, wait for another leader and re-register there. */
  detector?: MasterDetector;
  /** How long registration may take, ms. Default 60 000. */
  registerTimeoutMs?: number;
  /** Registrations in flight at once. Default 500. */
  registerConcurrency?: number;
}

export { SIMULATED_AGENT_RESOURCES, wallNowMs } from './support/simulated-agent.js';

/**
 * N simulated agents registered with one master.
 *
 * @example
 * ```ts
 * const agents = await SimulatedAgents.start({ master: master.grpcAddress, count: 100 });
 * // ... launch 1,000 tasks ...
 * await agents.acknowledgedAtLeast(TaskState.TASK_RUNNING, 1000, 60_000);
 * await agents.stop();
 * ```
 */
export class SimulatedAgents {
  private readonly agents: SimulatedAgent[] = [];
  private readonly acks = new Map<TaskState, number>();
  private readonly counters = { runTask: 0, killTask: 0, reregistered: 0 };
  private waiters: Array<() => void> = [];
  /** Re-registrations in flight, and those waiting for a slot (see {@link rejoinSlot}). */
  private rejoining = 0;
  private readonly rejoinQueue: Array<() => void> = [];
  private failure: string | undefined;
  private stopped = false;

  private constructor(readonly options: SimulatedAgentsOptions) {}

  /** Starts `count` agents and resolves once every one is registered. */
  static async start(options: SimulatedAgentsOptions): Promise<SimulatedAgents> {
    if (!Number.isInteger(options.count) || options.count < 1)
      throw new BenchError(`count must be a positive whole number of agents, got ${options.count}`, 'INVALID_ARGUMENT');
    const sim = new SimulatedAgents(options);
    const prefix = options.hostnamePrefix ?? 'sim';
    for (let i = 0; i < options.count; i++) sim.agents.push(new SimulatedAgent(sim, options, `${prefix}-${i}`));
    const concurrency = Math.max(1, options.registerConcurrency ?? 500);
    const registerAll = async (): Promise<void> => {
      for (let i = 0; i < sim.agents.length; i += concurrency)
        await Promise.all(sim.agents.slice(i, i + concurrency).map((a) => a.register()));
    };
    try {
      await withDeadline(
        registerAll(),
        options.registerTimeoutMs ?? 60_000,
        `registration of ${options.count} simulated agents`,
      );
    } catch (err) {
      await sim.stop();
      throw err;
    }
    return sim;
  }

  /** The agents' IDs, in start order. */
  get agentIds(): string[] {
    return this.agents.map((a) => a.id);
  }

  /** RUN_TASK and KILL_TASK events received so far. */
  get received(): { readonly runTask: number; readonly killTask: number } {
    return { runTask: this.counters.runTask, killTask: this.counters.killTask };
  }

  /** Re-registrations with a new leader so far (with a detector). */
  get reregisteredCount(): number {
    return this.counters.reregistered;
  }

  /** Updates of `state` acknowledged so far (by the framework through the master, or by the master itself). */
  acknowledgedCount(state: TaskState): number {
    return this.acks.get(state) ?? 0;
  }

  /** Resolves once at least `n` updates of `state` are acknowledged; rejects after `timeoutMs` or if a stream broke. */
  async acknowledgedAtLeast(state: TaskState, n: number, timeoutMs: number): Promise<void> {
    await this.until(
      () => this.acknowledgedCount(state) >= n,
      timeoutMs,
      `${n} acknowledged ${TaskState[state]} updates`,
    );
  }

  /** Resolves once at least `n` re-registrations happened (see {@link reregisteredCount}). */
  async reregisteredAtLeast(n: number, timeoutMs: number): Promise<void> {
    await this.until(() => this.counters.reregistered >= n, timeoutMs, `${n} agent re-registrations`);
  }

  /** Closes every stream. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const a of this.agents) a.stop();
    this.wake();
    // Let the cancellations go out before the master stops.
    await new Promise<void>((r) => setImmediate(r));
  }

  /**
   * @internal Waits for one of `registerConcurrency` re-registration slots
   * and resolves with its release: a failover reconnects the agents a batch
   * at a time, so that the first are back without waiting for this process
   * to set up every connection (real agents reconnect in parallel).
   */
  async rejoinSlot(): Promise<() => void> {
    const limit = Math.max(1, Math.min(this.options.registerConcurrency ?? 100, 100));
    if (this.rejoining >= limit) await new Promise<void>((r) => this.rejoinQueue.push(r));
    this.rejoining++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.rejoining--;
      this.rejoinQueue.shift()?.();
    };
  }

  /** @internal Whether stop() was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** @internal An agent's stream broke (not through stop()) and it will not rejoin. */
  broken(why: string): void {
    if (this.stopped) return;
    this.failure ??= why;
    this.wake();
  }

  /** @internal */
  count(event: 'runTask' | 'killTask' | 'reregistered'): void {
    this.counters[event]++;
    if (event === 'reregistered') this.wake();
  }

  /** @internal */
  acknowledged(state: TaskState): void {
    this.acks.set(state, (this.acks.get(state) ?? 0) + 1);
    this.wake();
  }

  private async until(reached: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const wait = async (): Promise<void> => {
      while (!reached()) {
        if (this.failure !== undefined) throw new BenchError(`a simulated agent lost its stream: ${this.failure}`);
        await new Promise<void>((r) => this.waiters.push(r));
      }
    };
    await withDeadline(wait(), timeoutMs, what);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
