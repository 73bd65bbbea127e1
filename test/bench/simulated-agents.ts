// Simulated agents for the control-plane benchmarks: N fake agents in this
// process, each a real gRPC client of the master's Agent service (its own
// HTTP/2 connection). They register with fixed resources, answer PING with
// HEARTBEAT, answer RUN_TASK with TASK_STARTING then TASK_RUNNING (and
// TASK_FINISHED when told to) and KILL_TASK with TASK_KILLED. No process is
// spawned: what is measured is the master and the framework, as in Mesos' and
// Nomad's scale tests. As the real agent, each task's updates go out in order,
// the next once the previous one is acknowledged (no resends: a bench that
// loses an update fails by its deadline).
import * as grpc from '@grpc/grpc-js';
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  Resources,
  TaskState,
  TaskStatusSource,
  newUpdateUuid,
  uuidToString,
  type AgentEvent,
  type IAgentCall,
  type IFrameworkInfo,
  type ITaskInfo,
} from '@mesocosm/protocol';
import { BenchError, withDeadline } from './errors.js';

/** Options of {@link SimulatedAgents.start}. */
export interface SimulatedAgentsOptions {
  /** The master's gRPC address (`host:port`). */
  master: string;
  /** How many agents. */
  count: number;
  /** What each agent offers, in Mesos' text form. Default `cpus:16;mem:65536;disk:1048576;ports:[31000-32000]`. */
  resources?: string;
  /** Hostname prefix: agent i is `<prefix>-<i>`. Default `sim`. */
  hostnamePrefix?: string;
  /** Whether a task reports TASK_FINISHED right after TASK_RUNNING (default: never; it runs until killed). */
  finishes?: (task: ITaskInfo, framework: IFrameworkInfo) => boolean;
  /** Called as each RUN_TASK arrives, with `Date.now()`-based wall time in fractional ms. */
  onRunTask?: (taskId: string, atMs: number) => void;
  /** How long registration may take, ms. Default 60 000. */
  registerTimeoutMs?: number;
}

/** Default agent resources: Mesos' allocator benchmark agent. */
export const SIMULATED_AGENT_RESOURCES = 'cpus:16;mem:65536;disk:1048576;ports:[31000-32000]';

type Duplex = grpc.ClientDuplexStream<IAgentCall, AgentEvent>;

/** An update sent or queued: its task's queue is keyed by `fw\0task`. */
interface QueuedUpdate {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly state: TaskState;
  readonly uuid: Uint8Array;
}

/** Wall-clock time in fractional milliseconds (timeOrigin + monotonic offset). */
export function wallNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** One fake agent: one client, one stream. */
class SimulatedAgent {
  id = '';
  private readonly client: grpc.Client;
  private stream: Duplex | undefined;
  /** Updates per task (`fw\0task`), head sent and awaiting its ACKNOWLEDGE. */
  private readonly queues = new Map<string, QueuedUpdate[]>();

  constructor(
    private readonly owner: SimulatedAgents,
    private readonly options: SimulatedAgentsOptions,
    private readonly hostname: string,
  ) {
    // A local subchannel pool: each agent gets its own connection, as real agents would.
    this.client = new grpc.Client(options.master, grpc.credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
    });
  }

  /** Opens the stream and sends REGISTER; resolves with the agent ID once REGISTERED. */
  register(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const s: Duplex = this.client.makeBidiStreamRequest(
        AgentService.connect.path,
        AgentService.connect.serialize,
        AgentService.connect.deserialize,
      );
      this.stream = s;
      s.on('data', (e: AgentEvent) => {
        if (e.type === AgentEventType.REGISTERED) {
          this.id = e.registered?.agentId?.value ?? '';
          resolve(this.id);
        } else if (e.type === AgentEventType.ERROR && this.id === '') {
          reject(new BenchError(`agent ${this.hostname} refused: ${e.error?.code ?? ''} ${e.error?.message ?? ''}`));
        } else this.onEvent(e);
      });
      s.on('error', (err: grpc.ServiceError) => {
        // CANCELLED is our own stop().
        if (err.code !== grpc.status.CANCELLED) this.owner.broken(`${this.hostname}: ${err.details || err.message}`);
        reject(err);
      });
      s.on('end', () => this.owner.broken(`${this.hostname}: the master closed the stream`));
      const resources = Resources.parse(this.options.resources ?? SIMULATED_AGENT_RESOURCES);
      s.write({
        type: AgentCallType.REGISTER,
        register: {
          agentInfo: { hostname: this.hostname, ip: '127.0.0.1', port: 5051, resources: resources.toProto() },
          version: '0.1.0',
        },
      });
    });
  }

  stop(): void {
    const s = this.stream;
    this.stream = undefined;
    s?.cancel();
    this.client.close();
  }

  private onEvent(e: AgentEvent): void {
    switch (e.type) {
      case AgentEventType.PING:
        this.send({ type: AgentCallType.HEARTBEAT, agentId: { value: this.id } });
        return;
      case AgentEventType.RUN_TASK: {
        const task = e.runTask?.task ?? {};
        const framework = e.runTask?.framework ?? {};
        const taskId = task.taskId?.value ?? '';
        this.options.onRunTask?.(taskId, wallNowMs());
        this.owner.count('runTask');
        const fw = framework.id?.value ?? '';
        const states = [TaskState.TASK_STARTING, TaskState.TASK_RUNNING];
        if (this.options.finishes?.(task, framework)) states.push(TaskState.TASK_FINISHED);
        this.enqueue(fw, taskId, states);
        return;
      }
      case AgentEventType.KILL_TASK:
        this.owner.count('killTask');
        this.enqueue(e.killTask?.frameworkId?.value ?? '', e.killTask?.taskId?.value ?? '', [TaskState.TASK_KILLED]);
        return;
      case AgentEventType.ACKNOWLEDGE:
        this.acknowledged(
          e.acknowledge?.frameworkId?.value ?? '',
          e.acknowledge?.taskId?.value ?? '',
          e.acknowledge?.uuid ?? new Uint8Array(),
        );
        return;
      default:
        // SHUTDOWN_FRAMEWORK follows a KILL_TASK for each of the framework's tasks: nothing more to do.
        return;
    }
  }

  private enqueue(frameworkId: string, taskId: string, states: readonly TaskState[]): void {
    const key = `${frameworkId}\u0000${taskId}`;
    const queue = this.queues.get(key) ?? [];
    const idle = queue.length === 0;
    for (const state of states) queue.push({ frameworkId, taskId, state, uuid: newUpdateUuid() });
    this.queues.set(key, queue);
    if (idle) this.sendHead(queue);
  }

  private acknowledged(frameworkId: string, taskId: string, uuid: Uint8Array): void {
    const key = `${frameworkId}\u0000${taskId}`;
    const queue = this.queues.get(key);
    const head = queue?.[0];
    if (!queue || !head || uuidToString(head.uuid) !== uuidToString(uuid)) return;
    queue.shift();
    this.owner.acknowledged(head.state);
    if (queue.length === 0) this.queues.delete(key);
    else this.sendHead(queue);
  }

  private sendHead(queue: readonly QueuedUpdate[]): void {
    const u = queue[0];
    if (!u) return;
    this.send({
      type: AgentCallType.UPDATE,
      agentId: { value: this.id },
      update: {
        frameworkId: { value: u.frameworkId },
        status: {
          taskId: { value: u.taskId },
          state: u.state,
          source: TaskStatusSource.SOURCE_EXECUTOR,
          agentId: { value: this.id },
          uuid: u.uuid,
          timestamp: Date.now() / 1000,
        },
      },
    });
  }

  private send(call: IAgentCall): void {
    this.stream?.write(call);
  }
}

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
  private readonly counters = { runTask: 0, killTask: 0 };
  private waiters: Array<() => void> = [];
  private failure: string | undefined;
  private stopped = false;

  private constructor(private readonly options: SimulatedAgentsOptions) {}

  /** Starts `count` agents and resolves once every one is registered. */
  static async start(options: SimulatedAgentsOptions): Promise<SimulatedAgents> {
    if (!Number.isInteger(options.count) || options.count < 1)
      throw new BenchError(`count must be a positive whole number of agents, got ${options.count}`, 'INVALID_ARGUMENT');
    const sim = new SimulatedAgents(options);
    const prefix = options.hostnamePrefix ?? 'sim';
    for (let i = 0; i < options.count; i++) sim.agents.push(new SimulatedAgent(sim, options, `${prefix}-${i}`));
    try {
      await withDeadline(
        Promise.all(sim.agents.map((a) => a.register())),
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
    return { ...this.counters };
  }

  /** Updates of `state` acknowledged so far (by the framework through the master, or by the master itself). */
  acknowledgedCount(state: TaskState): number {
    return this.acks.get(state) ?? 0;
  }

  /** Resolves once at least `n` updates of `state` are acknowledged; rejects after `timeoutMs` or if a stream broke. */
  async acknowledgedAtLeast(state: TaskState, n: number, timeoutMs: number): Promise<void> {
    const reached = async (): Promise<void> => {
      while (this.acknowledgedCount(state) < n) {
        if (this.failure !== undefined) throw new BenchError(`a simulated agent lost its stream: ${this.failure}`);
        await new Promise<void>((r) => this.waiters.push(r));
      }
    };
    await withDeadline(reached(), timeoutMs, `${n} acknowledged ${TaskState[state]} updates`);
  }

  /** Closes every stream. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const a of this.agents) a.stop();
    this.wake();
    // Let the cancellations go out before the master stops.
    await new Promise<void>((r) => setImmediate(r));
  }

  /** @internal An agent's stream broke (not through stop()). */
  broken(why: string): void {
    if (this.stopped) return;
    this.failure ??= why;
    this.wake();
  }

  /** @internal */
  count(event: 'runTask' | 'killTask'): void {
    this.counters[event]++;
  }

  /** @internal */
  acknowledged(state: TaskState): void {
    this.acks.set(state, (this.acks.get(state) ?? 0) + 1);
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
