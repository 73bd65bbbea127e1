// gRPC service definitions over the generated protobufjs codecs.
//
// Servers pass these to `server.addService`; clients use the method
// descriptors with `grpc.Client#makeBidiStreamRequest` and friends, so that
// both sides encode with exactly the same code.
import type * as grpc from '@grpc/grpc-js';
import { mesocosm } from './generated/proto.js';

interface Codec<T, D> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): D;
}

/**
 * The client's view of one RPC method: its path and codecs. (The server's view
 * is the `grpc.MethodDefinition` part: it decodes requests to message classes
 * and encodes plain response objects.)
 */
export interface MethodDescriptor<Req, Res> {
  path: string;
  serialize: (value: Req) => Buffer;
  deserialize: (bytes: Buffer) => Res;
}

function method<ReqIn, ReqOut extends ReqIn, ResIn, ResOut extends ResIn>(
  service: string,
  name: string,
  requestStream: boolean,
  responseStream: boolean,
  req: Codec<ReqIn, ReqOut>,
  res: Codec<ResIn, ResOut>,
): MethodDescriptor<ReqIn, ResOut> & grpc.MethodDefinition<ReqOut, ResIn> {
  const requestSerialize = (v: ReqIn): Buffer => Buffer.from(req.encode(v).finish());
  const responseDeserialize = (b: Buffer): ResOut => res.decode(b);
  return {
    path: `/mesocosm.v1.${service}/${name}`,
    originalName: name.charAt(0).toLowerCase() + name.slice(1),
    requestStream,
    responseStream,
    requestSerialize,
    requestDeserialize: (b: Buffer) => req.decode(b),
    responseSerialize: (v: ResIn) => Buffer.from(res.encode(v).finish()),
    responseDeserialize,
    serialize: requestSerialize,
    deserialize: responseDeserialize,
  } as MethodDescriptor<ReqIn, ResOut> & grpc.MethodDefinition<ReqOut, ResIn>;
}

const v1 = mesocosm.v1;

/** Scheduler API: frameworks connect here (master side). */
export const SchedulerService = {
  subscribe: method('Scheduler', 'Subscribe', true, true, v1.Call, v1.Event),
  call: method('Scheduler', 'Call', false, false, v1.Call, v1.CallResponse),
};

/** Agent API: agents connect here (master side). */
export const AgentService = {
  connect: method('Agent', 'Connect', true, true, v1.AgentCall, v1.AgentEvent),
};

/** Executor API: custom executors connect here (agent side). */
export const ExecutorService = {
  subscribe: method('Executor', 'Subscribe', true, true, v1.ExecutorCall, v1.ExecutorEvent),
};

/** Operator API (master side). */
export const OperatorService = {
  getState: method('Operator', 'GetState', false, false, v1.OperatorRequest, v1.ClusterState),
  teardown: method('Operator', 'Teardown', false, false, v1.TeardownRequest, v1.TeardownResponse),
  drainAgent: method('Operator', 'DrainAgent', false, false, v1.DrainAgentRequest, v1.DrainAgentResponse),
  deactivateAgent: method(
    'Operator',
    'DeactivateAgent',
    false,
    false,
    v1.DeactivateAgentRequest,
    v1.DeactivateAgentResponse,
  ),
  reactivateAgent: method(
    'Operator',
    'ReactivateAgent',
    false,
    false,
    v1.ReactivateAgentRequest,
    v1.ReactivateAgentResponse,
  ),
};
