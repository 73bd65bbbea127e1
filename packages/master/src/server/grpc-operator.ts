// Operator API edge: GetState, Teardown and the maintenance calls.
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { IClusterState, mesocosm } from '@mesocosm/protocol';
import type { MasterCore } from '../core/master-core.js';
import { notLeaderError, toServiceError } from '../errors.js';
import { drainFromRequest } from './operator-requests.js';

/** Answers a unary call with `run`'s result, or its error; a standby refuses with NOT_LEADER. */
function answer<Res>(core: MasterCore, callback: sendUnaryData<Res>, run: () => Promise<Res> | Res): void {
  if (!core.leading) return callback(notLeaderError(core.notLeaderMessage()));
  Promise.resolve()
    .then(run)
    .then(
      (res) => callback(null, res),
      (err: unknown) => callback(toServiceError(err)),
    );
}

/** The Operator service implementation over a master core. @internal */
export function operatorService(core: MasterCore): UntypedServiceImplementation {
  return {
    getState(_call: ServerUnaryCall<unknown, IClusterState>, callback: sendUnaryData<IClusterState>): void {
      try {
        callback(null, core.clusterState());
      } catch (err) {
        callback(toServiceError(err));
      }
    },
    teardown(
      call: ServerUnaryCall<mesocosm.v1.ITeardownRequest, mesocosm.v1.ITeardownResponse>,
      callback: sendUnaryData<mesocosm.v1.ITeardownResponse>,
    ): void {
      answer(core, callback, () => {
        core.teardown(call.request.frameworkId?.value ?? '');
        return {};
      });
    },
    drainAgent(
      call: ServerUnaryCall<mesocosm.v1.IDrainAgentRequest, mesocosm.v1.IDrainAgentResponse>,
      callback: sendUnaryData<mesocosm.v1.IDrainAgentResponse>,
    ): void {
      answer(core, callback, async () => {
        const req = drainFromRequest(call.request);
        if (req.type === 'DRAIN_AGENT') await core.drainAgent(req.agentId, req.config);
        return {};
      });
    },
    deactivateAgent(
      call: ServerUnaryCall<mesocosm.v1.IDeactivateAgentRequest, mesocosm.v1.IDeactivateAgentResponse>,
      callback: sendUnaryData<mesocosm.v1.IDeactivateAgentResponse>,
    ): void {
      answer(core, callback, async () => {
        await core.deactivateAgent(call.request.agentId?.value ?? '');
        return {};
      });
    },
    reactivateAgent(
      call: ServerUnaryCall<mesocosm.v1.IReactivateAgentRequest, mesocosm.v1.IReactivateAgentResponse>,
      callback: sendUnaryData<mesocosm.v1.IReactivateAgentResponse>,
    ): void {
      answer(core, callback, async () => {
        await core.reactivateAgent(call.request.agentId?.value ?? '');
        return {};
      });
    },
  };
}
