// One simulated agent of ../simulated-agents.ts: one gRPC client (its own
// HTTP/2 connection), one Agent.Connect stream, no process. It keeps its live
// tasks so that it can re-register them with a new leader.
import * as grpc from '@grpc/grpc-js';
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  Resources,
  TaskState,
  TaskStatusSource,
  isTerminalState,
  newUpdateUuid,
  uuidToString,
  type AgentEvent,
  type IAgentCall,
  type IAgentInfo,
  type IFrameworkInfo,
  type ITaskInfo,
  type ITaskStatus,
} from '@mesocosm/protocol';
import { BenchError } from '../errors.js';
import type { SimulatedAgents, SimulatedAgentsOptions } from '../simulated-agents.js';

/** Default agent resources: Mesos' allocator benchmark agent. */
export const SIMULATED_AGENT_RESOURCES = 'cpus:16;mem:65536;disk:1048576;ports:[31000-32000]';

/** Wall-clock time in fractional milliseconds (timeOrigin + monotonic offset). */
export function wallNowMs(): number {
  return performance.timeOrigin + performance.now();
}

type Duplex = grpc.ClientDuplexStream<IAgentCall, AgentEvent>;

/** An update sent or queued: its task's queue is keyed by `fw\0task`. */
interface QueuedUpdate {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly state: TaskState;
  readonly uuid: Uint8Array;
  sent: boolean;
}

/** A task the agent runs, for re-registration. */
interface LiveTask {
  readonly framework: IFrameworkInfo;
  readonly task: ITaskInfo;
  state: TaskState;
}

/** How long to wait before asking a master that refused us (a leader not yet elected) again. */
const REJOIN_RETRY_MS = 50;

/** One fake agent. @internal */
export class SimulatedAgent {
  id = '';
  private address: string;
  private client: grpc.Client | undefined;
  private stream: Duplex | undefined;
  private stopped = false;
  /** Updates per task (`fw\0task`), head sent and awaiting its ACKNOWLEDGE. */
  private readonly queues = new Map<string, QueuedUpdate[]>();
  private readonly live = new Map<string, LiveTask>();
  private readonly info: IAgentInfo;

  constructor(
    private readonly owner: SimulatedAgents,
    private readonly options: SimulatedAgentsOptions,
    private readonly hostname: string,
  ) {
    this.address = options.master;
    const resources = Resources.parse(options.resources ?? SIMULATED_AGENT_RESOURCES);
    this.info = { hostname, ip: '127.0.0.1', port: 5051, resources: resources.toProto() };
  }

  /** Opens the stream and sends REGISTER; resolves with the agent ID once REGISTERED. */
  register(): Promise<string> {
    return this.connect({ type: AgentCallType.REGISTER, register: { agentInfo: this.info, version: '0.1.0' } });
  }

  stop(): void {
    this.stopped = true;
    const s = this.stream;
    this.stream = undefined;
    s?.cancel();
    this.client?.close();
  }

  /** Connects to `this.address` with `call` (REGISTER or REREGISTER); resolves once REGISTERED. */
  private connect(call: IAgentCall): Promise<string> {
    // A local subchannel pool: each agent gets its own connection, as real agents would.
    const client = new grpc.Client(this.address, grpc.credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
    });
    this.client = client;
    return new Promise<string>((resolve, reject) => {
      const s: Duplex = client.makeBidiStreamRequest(
        AgentService.connect.path,
        AgentService.connect.serialize,
        AgentService.connect.deserialize,
      );
      this.stream = s;
      let registered = false;
      const lost = (why: string): void => {
        if (this.stream !== s) return; // already handled, or our own stop()
        this.stream = undefined;
        client.close();
        if (!registered) reject(new BenchError(`agent ${this.hostname}: ${why}`));
        else this.lost(why);
      };
      s.on('data', (e: AgentEvent) => {
        if (e.type === AgentEventType.REGISTERED && !registered) {
          registered = true;
          this.id = e.registered?.agentId?.value ?? '';
          resolve(this.id);
          for (const q of this.queues.values()) this.sendHead(q); // after a re-registration
        } else if (e.type === AgentEventType.ERROR && !registered) {
          lost(`refused: ${e.error?.code ?? ''} ${e.error?.message ?? ''}`);
        } else this.onEvent(e);
      });
      s.on('error', (err: grpc.ServiceError) => lost(err.details || err.message));
      s.on('end', () => lost('the master closed the stream'));
      s.write(call);
    });
  }

  /** The stream broke after registration: rejoin the next leader, or report it. */
  private lost(why: string): void {
    if (this.stopped || this.owner.isStopped) return;
    const detector = this.options.detector;
    if (!detector) {
      this.owner.broken(`${this.hostname}: ${why}`);
      return;
    }
    void this.rejoin(detector, this.address);
  }

  /** Waits for a leader other than `previous`, then re-registers there (retrying a refusal). */
  private async rejoin(detector: NonNullable<SimulatedAgentsOptions['detector']>, previous: string): Promise<void> {
    let other: string | undefined = previous;
    while (!this.stopped && !this.owner.isStopped) {
      let release: (() => void) | undefined;
      try {
        this.address = await detector.detect(other);
        release = await this.owner.rejoinSlot();
        await this.connect(this.reregisterCall());
        release();
        this.owner.count('reregistered');
        this.options.onReregistered?.(this.id, wallNowMs());
        return;
      } catch (err) {
        release?.();
        if (this.stopped || this.owner.isStopped) return;
        if (err instanceof Error && err.name === 'DetectorClosedError') return;
        other = undefined; // the leader may be the right one, not yet serving: ask again shortly
        await new Promise((r) => setTimeout(r, REJOIN_RETRY_MS));
      }
    }
  }

  private reregisterCall(): IAgentCall {
    const tasks = [...this.live.values()];
    return {
      type: AgentCallType.REREGISTER,
      agentId: { value: this.id },
      register: {
        agentInfo: { ...this.info, id: { value: this.id } },
        version: '0.1.0',
        tasks: tasks.map((t) => ({
          frameworkId: t.framework.id ?? {},
          task: t.task,
          status: this.status(t.task.taskId?.value ?? '', t.state),
        })),
        frameworks: [...new Map(tasks.map((t) => [t.framework.id?.value ?? '', t.framework])).values()],
      },
    };
  }

  private onEvent(e: AgentEvent): void {
    switch (e.type) {
      case AgentEventType.PING:
        this.send({ type: AgentCallType.HEARTBEAT, agentId: { value: this.id } });
        return;
      case AgentEventType.RUN_TASK:
        this.run(e.runTask?.framework ?? {}, e.runTask?.task ?? {});
        return;
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

  private run(framework: IFrameworkInfo, task: ITaskInfo): void {
    const taskId = task.taskId?.value ?? '';
    this.options.onRunTask?.(taskId, wallNowMs());
    this.owner.count('runTask');
    const fw = framework.id?.value ?? '';
    this.live.set(`${fw}\u0000${taskId}`, { framework, task, state: TaskState.TASK_STAGING });
    const states = this.options.reportStarting === false ? [] : [TaskState.TASK_STARTING];
    states.push(TaskState.TASK_RUNNING);
    const runMs = this.options.runMs?.(task, framework);
    if (runMs === undefined && this.options.finishes?.(task, framework)) states.push(TaskState.TASK_FINISHED);
    this.enqueue(fw, taskId, states);
    if (runMs !== undefined) setTimeout(() => this.enqueue(fw, taskId, [TaskState.TASK_FINISHED]), runMs);
  }

  private enqueue(frameworkId: string, taskId: string, states: readonly TaskState[]): void {
    if (this.stopped) return;
    const key = `${frameworkId}\u0000${taskId}`;
    const queue = this.queues.get(key) ?? [];
    const idle = queue.length === 0;
    for (const state of states) queue.push({ frameworkId, taskId, state, uuid: newUpdateUuid(), sent: false });
    const live = this.live.get(key);
    const last = states[states.length - 1];
    if (live && last !== undefined) live.state = last;
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
    if (isTerminalState(head.state)) this.live.delete(key);
    if (queue.length === 0) this.queues.delete(key);
    else this.sendHead(queue);
  }

  private sendHead(queue: readonly QueuedUpdate[]): void {
    const u = queue[0];
    if (!u || !this.stream) return;
    this.send({
      type: AgentCallType.UPDATE,
      agentId: { value: this.id },
      update: { frameworkId: { value: u.frameworkId }, status: { ...this.status(u.taskId, u.state), uuid: u.uuid } },
    });
    if (!u.sent) {
      u.sent = true;
      this.options.onUpdateSent?.(this.id, u.taskId, u.state, wallNowMs());
    }
  }

  private status(taskId: string, state: TaskState): ITaskStatus {
    return {
      taskId: { value: taskId },
      state,
      source: TaskStatusSource.SOURCE_EXECUTOR,
      agentId: { value: this.id },
      timestamp: Date.now() / 1000,
    };
  }

  private send(call: IAgentCall): void {
    this.stream?.write(call);
  }
}
