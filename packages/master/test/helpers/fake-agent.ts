// A fake agent over gRPC: registers, records what the master sends, answers
// PINGs, sends status updates.
import * as grpc from '@grpc/grpc-js';
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  newUpdateUuid,
  Resources,
  type AgentEvent,
  type IAgentCall,
  type IAttribute,
  type TaskState,
  type mesocosm,
} from '@mesocosm/protocol';
import { Inbox } from './wait-for.js';

export class FakeAgent {
  readonly events = new Inbox<AgentEvent>();
  agentId = '';
  ended = false;
  /** Answer PINGs with HEARTBEAT (turn off to simulate a hung agent). */
  answerPings = true;
  private readonly client: grpc.Client;
  private readonly stream: grpc.ClientDuplexStream<IAgentCall, AgentEvent>;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure());
    this.stream = this.client.makeBidiStreamRequest(
      AgentService.connect.path,
      AgentService.connect.serialize,
      AgentService.connect.deserialize,
    );
    this.stream.on('data', (e: AgentEvent) => {
      this.events.push(e);
      if (e.type === AgentEventType.PING && this.answerPings) this.write({ type: AgentCallType.HEARTBEAT });
    });
    this.stream.on('error', () => (this.ended = true));
    this.stream.on('end', () => (this.ended = true));
  }

  write(call: IAgentCall): void {
    this.stream.write(call);
  }

  /** REGISTER (or REREGISTER when `id` is given) and wait for REGISTERED. */
  async register(
    resources = 'cpus:4;mem:4096;ports:[31000-31100]',
    options: {
      id?: string;
      hostname?: string;
      attributes?: IAttribute[];
      tasks?: mesocosm.v1.AgentCall.ITask[];
      frameworks?: mesocosm.v1.IFrameworkInfo[];
    } = {},
  ): Promise<string> {
    this.write({
      type: options.id ? AgentCallType.REREGISTER : AgentCallType.REGISTER,
      register: {
        agentInfo: {
          hostname: options.hostname ?? 'fake-host',
          ip: '127.0.0.1',
          port: 5051,
          resources: Resources.parse(resources).toProto(),
          attributes: options.attributes ?? [],
          ...(options.id ? { id: { value: options.id } } : {}),
        },
        tasks: options.tasks ?? [],
        frameworks: options.frameworks ?? [],
      },
    });
    const ev = await this.events.take((e) => e.type === AgentEventType.REGISTERED, 'REGISTERED');
    this.agentId = ev.registered?.agentId?.value ?? '';
    return this.agentId;
  }

  /** Sends a status update (with a uuid); returns the uuid. */
  sendUpdate(frameworkId: string, taskId: string, state: TaskState, message = ''): Uint8Array {
    const uuid = newUpdateUuid();
    this.write({
      type: AgentCallType.UPDATE,
      update: {
        frameworkId: { value: frameworkId },
        status: { taskId: { value: taskId }, state, uuid, message, agentId: { value: this.agentId }, source: 1 },
      },
    });
    return uuid;
  }

  /** Waits for an event of `type` matching `pred`. */
  take(type: AgentEventType, pred: (e: AgentEvent) => boolean = () => true, timeoutMs = 5000): Promise<AgentEvent> {
    return this.events.take((e) => e.type === type && pred(e), `agent event ${type}`, timeoutMs);
  }

  close(): void {
    this.stream.end();
    this.client.close();
  }
}
