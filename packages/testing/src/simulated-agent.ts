// A simulated agent: a real client of the master's Agent API, in this
// process, that runs no process at all. A task goes TASK_STARTING and
// TASK_RUNNING at once, then ends (TASK_FINISHED by default) after its run
// time on the cluster's clock; KILL_TASK ends it TASK_KILLED. Updates go out
// in order per task, the next once the previous one is acknowledged, and are
// resent on the clock until they are: the real agent's contract, minus the
// disk. With a TestClock, when a task ends is up to the test.
import * as grpc from '@grpc/grpc-js';
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  grpcChannelCredentials,
  loadTls,
  Resources,
  TaskState,
  TaskStatusSource,
  isTerminalState,
  newUpdateUuid,
  parseAttributes,
  uuidToString,
  type AgentEvent,
  type Clock,
  type IAgentCall,
  type IFrameworkInfo,
  type ITaskInfo,
  type ITaskStatus,
  type Logger,
  type TimerHandle,
} from '@mesocosm/protocol';
import { LocalClusterError } from './errors.js';
import type { AgentHandle } from './members.js';

/** How a simulated agent's tasks behave. Every field is optional. */
export interface SimulatedExecutorOptions {
  /**
   * How long a task runs (ms on the cluster's clock) between TASK_RUNNING
   * and its final update. A function decides per task; `undefined` (from it)
   * means the task runs until it is killed. Default 1000.
   */
  runMs?: number | ((task: ITaskInfo) => number | undefined);
  /** The final update's state (default `TaskState.TASK_FINISHED`); a function decides per task. */
  finalState?: TaskState | ((task: ITaskInfo) => TaskState);
  /** An unacknowledged update is sent again after this long, ms on the cluster's clock (default 1000). */
  statusUpdateRetryMs?: number;
}

/** A task as a simulated agent holds it. */
export interface SimulatedTask {
  /** The framework that launched it. */
  readonly frameworkId: string;
  /** Its task ID. */
  readonly taskId: string;
  /** The TaskInfo of its RUN_TASK. */
  readonly task: ITaskInfo;
  /** The latest state the agent reported (or is about to report). */
  readonly state: TaskState;
  /** Updates not yet acknowledged by the framework, oldest first. */
  readonly unacknowledged: number;
}

/** What a simulated agent registers with. @internal */
export interface SimulatedAgentSpec {
  resources: string;
  attributes?: string | undefined;
  hostname?: string | undefined;
  /** Sent as `authorization` metadata (a master with authenticateAgents). */
  credential?: { principal: string; secret: string } | undefined;
  /** TLS to the master (its CA; a client certificate for mutual TLS). */
  tls?: { ca?: string; cert?: string; key?: string } | false | undefined;
}

interface TaskEntry {
  frameworkId: string;
  framework: IFrameworkInfo;
  task: ITaskInfo;
  state: TaskState;
  /** Updates waiting for their acknowledgement; the head is on the wire. */
  queue: ITaskStatus[];
  endTimer: TimerHandle | undefined;
  resendTimer: TimerHandle | undefined;
}

type Duplex = grpc.ClientDuplexStream<IAgentCall, AgentEvent>;

const key = (frameworkId: string, taskId: string): string => `${frameworkId}\u0000${taskId}`;

/** One simulated agent; `start()` (again after `stop()`) registers it. @internal */
export class SimulatedAgent {
  private id = '';
  private readonly tasks = new Map<string, TaskEntry>();
  private client: grpc.Client | undefined;
  private stream: Duplex | undefined;

  constructor(
    private readonly master: string,
    private readonly spec: SimulatedAgentSpec,
    private readonly options: SimulatedExecutorOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Registers (REGISTER the first time, REREGISTER with its tasks after a stop) and resolves once REGISTERED. */
  start(): Promise<AgentHandle> {
    if (this.stream) return Promise.reject(new LocalClusterError(`simulated agent ${this.id} is already running`));
    const tls = this.spec.tls ? loadTls(this.spec.tls) : undefined;
    const client = new grpc.Client(this.master, grpcChannelCredentials(tls), {
      'grpc.use_local_subchannel_pool': 1,
    });
    this.client = client;
    const metadata = new grpc.Metadata();
    const credential = this.spec.credential;
    if (credential) {
      const token = Buffer.from(`${credential.principal}:${credential.secret}`, 'utf8').toString('base64');
      metadata.set('authorization', `Basic ${token}`);
    }
    const stream: Duplex = client.makeBidiStreamRequest(
      AgentService.connect.path,
      AgentService.connect.serialize,
      AgentService.connect.deserialize,
      metadata,
    );
    this.stream = stream;
    return new Promise<AgentHandle>((resolve, reject) => {
      let registered = false;
      stream.on('data', (e: AgentEvent) => {
        if (!registered && e.type === AgentEventType.REGISTERED) {
          registered = true;
          this.id = e.registered?.agentId?.value ?? '';
          for (const t of this.tasks.values()) this.sendHead(t); // after a re-registration
          resolve({ agentId: this.id, httpUrl: '', pid: undefined, stop: () => this.stop() });
        } else if (!registered && e.type === AgentEventType.ERROR) {
          reject(new LocalClusterError(`the master refused a simulated agent: ${e.error?.code} ${e.error?.message}`));
          void this.stop();
        } else if (registered) this.onEvent(e);
      });
      stream.on('error', (err: grpc.ServiceError) => {
        if (err.code === grpc.status.CANCELLED) return; // our own stop()
        this.logger.warn('simulated agent stream failed', { agentId: this.id, error: err.details || err.message });
        if (!registered) reject(new LocalClusterError(`a simulated agent could not register: ${err.message}`));
      });
      stream.write(this.registerCall());
    });
  }

  /** Closes the stream (the master sees the agent disconnect); tasks and their updates are kept for a restart. */
  stop(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    for (const t of this.tasks.values()) this.clearTimers(t);
    stream?.cancel();
    this.client?.close();
    this.client = undefined;
    return Promise.resolve();
  }

  /** The tasks this agent holds, terminal ones included. */
  taskList(): SimulatedTask[] {
    return [...this.tasks.values()].map((t) => ({
      frameworkId: t.frameworkId,
      taskId: t.task.taskId?.value ?? '',
      task: t.task,
      state: t.state,
      unacknowledged: t.queue.length,
    }));
  }

  private registerCall(): IAgentCall {
    const resources = Resources.parse(this.spec.resources).toProto();
    const agentInfo = {
      hostname: this.spec.hostname ?? 'simulated',
      ip: '127.0.0.1',
      port: 5051, // no HTTP server: nothing listens there
      resources,
      attributes: parseAttributes(this.spec.attributes ?? ''),
      ...(this.id ? { id: { value: this.id } } : {}),
    };
    if (!this.id) return { type: AgentCallType.REGISTER, register: { agentInfo, version: 'simulated' } };
    const live = [...this.tasks.values()].filter((t) => !isTerminalState(t.state) || t.queue.length > 0);
    return {
      type: AgentCallType.REREGISTER,
      agentId: { value: this.id },
      register: {
        agentInfo,
        version: 'simulated',
        tasks: live.map((t) => ({
          frameworkId: { value: t.frameworkId },
          task: t.task,
          status: this.status(t, t.state),
        })),
        frameworks: [...new Map(live.map((t) => [t.frameworkId, t.framework])).values()],
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
        this.kill(e.killTask?.frameworkId?.value ?? '', e.killTask?.taskId?.value ?? '');
        return;
      case AgentEventType.SHUTDOWN_FRAMEWORK: {
        const fw = e.shutdownFramework?.frameworkId?.value ?? '';
        for (const t of this.tasks.values()) if (t.frameworkId === fw) this.kill(fw, t.task.taskId?.value ?? '');
        return;
      }
      case AgentEventType.ACKNOWLEDGE:
        this.acknowledged(
          e.acknowledge?.frameworkId?.value ?? '',
          e.acknowledge?.taskId?.value ?? '',
          e.acknowledge?.uuid ?? new Uint8Array(),
        );
        return;
      default:
        return; // MESSAGE: there is no executor to give it to
    }
  }

  private run(framework: IFrameworkInfo, task: ITaskInfo): void {
    const frameworkId = framework.id?.value ?? '';
    const taskId = task.taskId?.value ?? '';
    if (this.tasks.has(key(frameworkId, taskId))) return; // a RUN_TASK seen twice
    const entry: TaskEntry = {
      frameworkId,
      framework,
      task,
      state: TaskState.TASK_STAGING,
      queue: [],
      endTimer: undefined,
      resendTimer: undefined,
    };
    this.tasks.set(key(frameworkId, taskId), entry);
    this.report(entry, TaskState.TASK_STARTING);
    this.report(entry, TaskState.TASK_RUNNING);
    const runMs = typeof this.options.runMs === 'function' ? this.options.runMs(task) : (this.options.runMs ?? 1000);
    if (runMs === undefined) return;
    entry.endTimer = this.clock.setTimeout(() => {
      entry.endTimer = undefined;
      const final = this.options.finalState;
      this.report(entry, typeof final === 'function' ? final(task) : (final ?? TaskState.TASK_FINISHED));
    }, runMs);
  }

  private kill(frameworkId: string, taskId: string): void {
    const entry = this.tasks.get(key(frameworkId, taskId));
    if (!entry || isTerminalState(entry.state)) return;
    if (entry.endTimer) this.clock.clearTimeout(entry.endTimer);
    entry.endTimer = undefined;
    this.report(entry, TaskState.TASK_KILLED, 'killed');
  }

  private report(entry: TaskEntry, state: TaskState, message?: string): void {
    entry.state = state;
    entry.queue.push({ ...this.status(entry, state, message), uuid: newUpdateUuid() });
    if (entry.queue.length === 1) this.sendHead(entry);
  }

  private status(entry: TaskEntry, state: TaskState, message?: string): ITaskStatus {
    return {
      taskId: { value: entry.task.taskId?.value ?? '' },
      state,
      source: TaskStatusSource.SOURCE_EXECUTOR,
      agentId: { value: this.id },
      timestamp: this.clock.now() / 1000,
      ...(message ? { message } : {}),
    };
  }

  private acknowledged(frameworkId: string, taskId: string, uuid: Uint8Array): void {
    const entry = this.tasks.get(key(frameworkId, taskId));
    const head = entry?.queue[0];
    if (!entry || !head || uuidToString(head.uuid) !== uuidToString(uuid)) return;
    entry.queue.shift();
    if (entry.resendTimer) this.clock.clearTimeout(entry.resendTimer);
    entry.resendTimer = undefined;
    this.sendHead(entry);
  }

  /** Sends the oldest unacknowledged update of a task and arms its resend. */
  private sendHead(entry: TaskEntry): void {
    const head = entry.queue[0];
    if (!head || !this.stream) return;
    this.send({
      type: AgentCallType.UPDATE,
      agentId: { value: this.id },
      update: { frameworkId: { value: entry.frameworkId }, status: head },
    });
    if (entry.resendTimer) this.clock.clearTimeout(entry.resendTimer);
    entry.resendTimer = this.clock.setTimeout(() => {
      entry.resendTimer = undefined;
      this.sendHead(entry);
    }, this.options.statusUpdateRetryMs ?? 1000);
  }

  private clearTimers(entry: TaskEntry): void {
    if (entry.resendTimer) this.clock.clearTimeout(entry.resendTimer);
    entry.resendTimer = undefined;
    // A task's run goes on while the agent is away (as a real task would); it ends on the next start.
  }

  private send(call: IAgentCall): void {
    this.stream?.write(call);
  }
}
