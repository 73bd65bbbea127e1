// gRPC descriptors of the maintenance calls of the Operator service
// (DrainAgent, DeactivateAgent, ReactivateAgent), built over the generated
// codecs like @mesocosm/protocol's services.ts, which lists only GetState and
// Teardown so far (it belongs in there; see the report of issue 10).
import type * as grpc from '@grpc/grpc-js';
import { mesocosm, OperatorService } from '@mesocosm/protocol';

interface Codec<T, D> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): D;
}

/** A unary method usable by both a server (addService) and a client (makeUnaryRequest). */
export type UnaryMethod<Req, ReqOut, Res, ResOut> = grpc.MethodDefinition<ReqOut, Res> & {
  path: string;
  serialize: (value: Req) => Buffer;
  deserialize: (bytes: Buffer) => ResOut;
};

function unary<Req, ReqOut extends Req, Res, ResOut extends Res>(
  name: string,
  req: Codec<Req, ReqOut>,
  res: Codec<Res, ResOut>,
): UnaryMethod<Req, ReqOut, Res, ResOut> {
  const requestSerialize = (v: Req): Buffer => Buffer.from(req.encode(v).finish());
  const responseDeserialize = (b: Buffer): ResOut => res.decode(b);
  return {
    path: `/mesocosm.v1.Operator/${name}`,
    originalName: name.charAt(0).toLowerCase() + name.slice(1),
    requestStream: false,
    responseStream: false,
    requestSerialize,
    requestDeserialize: (b: Buffer) => req.decode(b),
    responseSerialize: (v: Res) => Buffer.from(res.encode(v).finish()),
    responseDeserialize,
    serialize: requestSerialize,
    deserialize: responseDeserialize,
  };
}

const v1 = mesocosm.v1;

/** Operator.DrainAgent, DeactivateAgent and ReactivateAgent. */
export const OperatorMaintenanceMethods = {
  drainAgent: unary('DrainAgent', v1.DrainAgentRequest, v1.DrainAgentResponse),
  deactivateAgent: unary('DeactivateAgent', v1.DeactivateAgentRequest, v1.DeactivateAgentResponse),
  reactivateAgent: unary('ReactivateAgent', v1.ReactivateAgentRequest, v1.ReactivateAgentResponse),
};

/** The whole Operator service as this master serves it. */
export const FullOperatorService = { ...OperatorService, ...OperatorMaintenanceMethods };
