// A master core without sockets: fake connections and a FakeClock.
import {
  AgentCallType,
  AgentEventType,
  CallType,
  EventType,
  FakeClock,
  Resources,
  silentLogger,
  v1,
  type AgentCall,
  type Call,
  type IAgentCall,
  type IAgentEvent,
  type ICall,
  type IEvent,
  type IFrameworkInfo,
} from '@mesocosm/protocol';
import { MasterCore } from '../../src/core/master-core.js';
import type { AgentStream, SchedulerStream } from '../../src/core/streams.js';
import { resolveOptions, type MasterOptions } from '../../src/options.js';
import { InMemoryRegistry } from '../../src/registry/in-memory-registry.js';

/** A fake scheduler stream: records events. */
export class FakeFramework {
  readonly events: IEvent[] = [];
  closed = false;
  frameworkId = '';
  streamId = '';
  readonly stream: SchedulerStream;

  constructor(core: MasterCore) {
    this.stream = core.openSchedulerStream({ send: (e) => this.events.push(e), close: () => (this.closed = true) });
  }

  /** Sends a call (as decoded from the wire) and waits until it is handled. */
  async send(call: ICall): Promise<void> {
    void this.stream.receive(v1.Call.fromObject(v1.Call.toObject(v1.Call.create(call))) as Call);
    await this.stream.settled();
  }

  async call(call: ICall): Promise<void> {
    await this.send({ frameworkId: { value: this.frameworkId }, streamId: this.streamId, ...call });
  }

  async subscribe(info: IFrameworkInfo = { name: 'fw' }): Promise<void> {
    await this.send({ type: CallType.SUBSCRIBE, subscribe: { frameworkInfo: info } });
    const sub = this.events.find((e) => e.type === EventType.SUBSCRIBED);
    this.frameworkId = sub?.subscribed?.frameworkId?.value ?? '';
    this.streamId = sub?.subscribed?.streamId ?? '';
  }

  of(type: EventType): IEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Ends the stream from the framework's side. */
  disconnect(): void {
    this.closed = true;
    this.stream.onClosed();
  }
}

/** A fake agent stream: records events. */
export class FakeAgentConn {
  readonly events: IAgentEvent[] = [];
  closed = false;
  agentId = '';
  readonly stream: AgentStream;

  /** `principal`: whom the stream authenticated as (the edge's job: none by default). */
  constructor(core: MasterCore, principal?: string) {
    this.stream = core.openAgentStream(
      { send: (e) => this.events.push(e), close: () => (this.closed = true) },
      principal,
    );
  }

  async send(call: IAgentCall): Promise<void> {
    void this.stream.receive(v1.AgentCall.create(call) as AgentCall);
    await this.stream.settled();
  }

  async register(
    resources = 'cpus:4;mem:4096',
    extra: Partial<NonNullable<IAgentCall['register']>> = {},
    id?: string,
  ): Promise<void> {
    await this.send({
      type: id ? AgentCallType.REREGISTER : AgentCallType.REGISTER,
      register: {
        agentInfo: {
          hostname: 'h',
          ip: '127.0.0.1',
          port: 5051,
          resources: Resources.parse(resources).toProto(),
          ...(id ? { id: { value: id } } : {}),
        },
        ...extra,
      },
    });
    const reg = this.events.find((e) => e.type === AgentEventType.REGISTERED);
    this.agentId = reg?.registered?.agentId?.value ?? '';
  }

  of(type: AgentEventType): IAgentEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  disconnect(): void {
    this.closed = true;
    this.stream.onClosed();
  }
}

/** A core on a FakeClock, started. */
export function makeCore(options: MasterOptions = {}): { core: MasterCore; clock: FakeClock } {
  const clock = new FakeClock(1_700_000_000_000);
  const resolved = resolveOptions({ logger: silentLogger, clock, hostname: 'm', ...options });
  const core = new MasterCore(resolved, new InMemoryRegistry(), {
    id: 'M',
    hostname: 'm',
    ip: '127.0.0.1',
    port: 5050,
    grpcPort: 5060,
    version: 'test',
    epoch: 1,
  });
  core.start();
  return { core, clock };
}
