// Operator API edge: GetState, Teardown and the maintenance calls.
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { IClusterState, mesocosm } from '@mesocosm/protocol';
import { authorizationOf } from '../auth/grpc-metadata.js';
import type { MasterCore } from '../core/master-core.js';
import { notLeaderError, toServiceError } from '../errors.js';
import { drainFromRequest } from './operator-requests.js';

/**
 * Answers a unary call with `run`'s result (given the caller's principal),
 * or its error; a standby refuses with NOT_LEADER, an unauthenticated caller
 * (with --authenticate_http) with UNAUTHENTICATED.
 */
function answer<Req, Res>(
  core: MasterCore,
  call: ServerUnaryCall<Req, Res>,
  callback: sendUnaryData<Res>,
  run: (principal: string | undefined) => Promise<Res> | Res,
): void {
  if (!core.leading) return callback(notLeaderError(core.notLeaderMessage()));
  const who = core.ctx.auth.authenticate('http', authorizationOf(call.metadata));
  if (!who.ok) return callback(toServiceError(who.error));
  Promise.resolve(who.principal)
    .then(run)
    .then(
      (res) => callback(null, res),
      (err: unknown) => callback(toServiceError(err)),
    );
}

/** The Operator service implementation over a master core. @internal */
export function operatorService(core: MasterCore): UntypedServiceImplementation {
  return {
    getState(call: ServerUnaryCall<unknown, IClusterState>, callback: sendUnaryData<IClusterState>): void {
      const who = core.ctx.auth.authenticate('http', authorizationOf(call.metadata));
      if (!who.ok) return callback(toServiceError(who.error));
      try {
        callback(null, core.clusterState(core.viewer(who.principal)));
      } catch (err) {
        callback(toServiceError(err));
      }
    },
    teardown(
      call: ServerUnaryCall<mesocosm.v1.ITeardownRequest, mesocosm.v1.ITeardownResponse>,
      callback: sendUnaryData<mesocosm.v1.ITeardownResponse>,
    ): void {
      answer(core, call, callback, (principal) => {
        core.teardown(call.request.frameworkId?.value ?? '', principal);
        return {};
      });
    },
    drainAgent(
      call: ServerUnaryCall<mesocosm.v1.IDrainAgentRequest, mesocosm.v1.IDrainAgentResponse>,
      callback: sendUnaryData<mesocosm.v1.IDrainAgentResponse>,
    ): void {
      answer(core, call, callback, async (principal) => {
        const req = drainFromRequest(call.request);
        if (req.type === 'DRAIN_AGENT') await core.drainAgent(req.agentId, req.config, principal);
        return {};
      });
    },
    deactivateAgent(
      call: ServerUnaryCall<mesocosm.v1.IDeactivateAgentRequest, mesocosm.v1.IDeactivateAgentResponse>,
      callback: sendUnaryData<mesocosm.v1.IDeactivateAgentResponse>,
    ): void {
      answer(core, call, callback, async (principal) => {
        await core.deactivateAgent(call.request.agentId?.value ?? '', principal);
        return {};
      });
    },
    reactivateAgent(
      call: ServerUnaryCall<mesocosm.v1.IReactivateAgentRequest, mesocosm.v1.IReactivateAgentResponse>,
      callback: sendUnaryData<mesocosm.v1.IReactivateAgentResponse>,
    ): void {
      answer(core, call, callback, async (principal) => {
        await core.reactivateAgent(call.request.agentId?.value ?? '', principal);
        return {};
      });
    },
  };
}
