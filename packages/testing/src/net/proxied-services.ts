// The gRPC services a GrpcMessageProxy can stand in for: their methods, the
// decoded message types of each direction, and how to name a message's type.
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  CallType,
  EventType,
  ExecutorCallType,
  ExecutorEventType,
  ExecutorService,
  SchedulerService,
  type AgentCall,
  type AgentEvent,
  type Call,
  type Event,
  type ExecutorCall,
  type ExecutorEvent,
} from '@mesocosm/protocol';

/** Which service a proxy serves: `agent` (agents to the master), `scheduler` (frameworks to the master), `executor` (executors to their agent). */
export type ProxiedServiceName = 'agent' | 'scheduler' | 'executor';

/** `toServer`: what the client sends (calls); `toClient`: what the server answers (events). */
export type MessageDirection = 'toServer' | 'toClient';

/** The decoded messages of each service, per direction. */
export interface ProxiedMessages {
  agent: { toServer: AgentCall; toClient: AgentEvent };
  scheduler: { toServer: Call; toClient: Event };
  executor: { toServer: ExecutorCall; toClient: ExecutorEvent };
}

/**
 * The arguments filters and predicates receive: `(direction, message)`, the
 * message typed by the direction (checking `direction` narrows `message`).
 */
export type ProxiedMessageArgs<S extends ProxiedServiceName> = {
  [D in MessageDirection]: [direction: D, message: ProxiedMessages[S][D]];
}[MessageDirection];

/** One method of a proxied service. @internal */
export interface ProxiedMethod {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  decodeRequest(bytes: Buffer): unknown;
  decodeResponse(bytes: Buffer): unknown;
}

/** One proxied service: its methods and the names of its message types. @internal */
export interface ProxiedService {
  methods: ProxiedMethod[];
  /** e.g. `UPDATE`; `UNKNOWN(42)` for a number the enum lacks. */
  typeName(direction: MessageDirection, message: unknown): string;
}

interface Descriptor {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestDeserialize(b: Buffer): unknown;
  responseDeserialize(b: Buffer): unknown;
}

function methodOf(d: Descriptor): ProxiedMethod {
  return {
    path: d.path,
    requestStream: d.requestStream,
    responseStream: d.responseStream,
    decodeRequest: (b) => d.requestDeserialize(b),
    decodeResponse: (b) => d.responseDeserialize(b),
  };
}

function namer(calls: Record<number, string>, events: Record<number, string>): ProxiedService['typeName'] {
  return (direction, message) => {
    const type = (message as { type?: unknown }).type;
    if (typeof type !== 'number') return 'RESPONSE'; // a unary response (CallResponse) has no type
    return (direction === 'toServer' ? calls : events)[type] ?? `UNKNOWN(${type})`;
  };
}

// protobufjs enums map numbers back to names, as TypeScript's do.
const enumNames = (e: object): Record<number, string> => e as Record<number, string>;

/** The table of services. @internal */
export const PROXIED_SERVICES: Record<ProxiedServiceName, ProxiedService> = {
  agent: {
    methods: [methodOf(AgentService.connect)],
    typeName: namer(enumNames(AgentCallType), enumNames(AgentEventType)),
  },
  scheduler: {
    methods: [methodOf(SchedulerService.subscribe), methodOf(SchedulerService.call)],
    typeName: namer(enumNames(CallType), enumNames(EventType)),
  },
  executor: {
    methods: [methodOf(ExecutorService.subscribe)],
    typeName: namer(enumNames(ExecutorCallType), enumNames(ExecutorEventType)),
  },
};
