// A fake master for the agent's tests: a real grpc-js server with the Agent
// service on 127.0.0.1:0 that records every call and lets the test answer.
import * as grpc from '@grpc/grpc-js';
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  taskStateName,
  uuidToString,
  type AgentCall,
  type IAgentEvent,
  type ITaskStatus,
} from '@mesocosm/protocol';

/** A status update as the master received it. */
export interface ReceivedUpdate {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly state: string;
  readonly uuid: string;
  readonly status: ITaskStatus;
  readonly at: number;
}

export class FakeMaster {
  readonly calls: { call: AgentCall; at: number }[] = [];
  /** Acknowledge every update at once. */
  autoAck = true;
  epoch = 1;
  private stream: grpc.ServerDuplexStream<AgentCall, IAgentEvent> | undefined;
  private nextId = 1;
  connections = 0;

  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
  ) {}

  static async start(port = 0): Promise<FakeMaster> {
    const server = new grpc.Server();
    const holder: { master?: FakeMaster } = {};
    server.addService(AgentService as unknown as grpc.ServiceDefinition, {
      connect: (stream: grpc.ServerDuplexStream<AgentCall, IAgentEvent>) => holder.master?.onStream(stream),
    });
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    const master = new FakeMaster(server, `127.0.0.1:${bound}`);
    holder.master = master;
    return master;
  }

  private onStream(stream: grpc.ServerDuplexStream<AgentCall, IAgentEvent>): void {
    this.stream = stream;
    this.connections++;
    stream.on('data', (call: AgentCall) => {
      this.calls.push({ call, at: Date.now() });
      if (call.type === AgentCallType.REGISTER) {
        this.send({ type: AgentEventType.REGISTERED, registered: { agentId: { value: `agent-${this.nextId++}` } } });
      } else if (call.type === AgentCallType.REREGISTER) {
        this.send({ type: AgentEventType.REGISTERED, registered: { agentId: call.agentId } });
      } else if (call.type === AgentCallType.UPDATE && this.autoAck) {
        this.ack(this.toUpdate(call));
      }
    });
    stream.on('error', () => undefined);
    stream.on('end', () => stream.end());
  }

  /** Sends an event on the current stream, stamped with the current epoch unless it has one. */
  send(event: IAgentEvent): void {
    this.stream?.write({ epoch: this.epoch, ...event });
  }

  /** Acknowledges one update. */
  ack(u: ReceivedUpdate): void {
    this.send({
      type: AgentEventType.ACKNOWLEDGE,
      acknowledge: {
        frameworkId: { value: u.frameworkId },
        taskId: { value: u.taskId },
        uuid: u.status.uuid ?? new Uint8Array(),
      },
    });
  }

  /** Ends the current stream (as a master that restarts). */
  dropConnection(): void {
    const s = this.stream;
    this.stream = undefined;
    s?.end();
  }

  private toUpdate(call: AgentCall): ReceivedUpdate {
    const status = call.update?.status ?? {};
    return {
      frameworkId: call.update?.frameworkId?.value ?? '',
      taskId: status.taskId?.value ?? '',
      state: taskStateName(status.state),
      uuid: uuidToString(status.uuid),
      status,
      at: 0,
    };
  }

  /** Every UPDATE received, in order, resends included. */
  updates(taskId?: string): ReceivedUpdate[] {
    return this.calls
      .filter((c) => c.call.type === AgentCallType.UPDATE)
      .map((c) => ({ ...this.toUpdate(c.call), at: c.at }))
      .filter((u) => taskId === undefined || u.taskId === taskId);
  }

  /** The distinct states received for a task, in order. */
  states(taskId: string): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const u of this.updates(taskId)) {
      if (seen.has(u.uuid)) continue;
      seen.add(u.uuid);
      out.push(u.state);
    }
    return out;
  }

  callsOfType(type: AgentCallType): AgentCall[] {
    return this.calls.filter((c) => c.call.type === type).map((c) => c.call);
  }

  async stop(): Promise<void> {
    this.stream?.end();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server.forceShutdown();
  }
}
