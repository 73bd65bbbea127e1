// Operator API edge: GetState and Teardown.
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { IClusterState, mesocosm } from '@mesocosm/protocol';
import type { MasterCore } from '../core/master-core.js';
import { notLeaderError, toServiceError } from '../errors.js';

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
      if (!core.leading) return callback(notLeaderError(core.notLeaderMessage()));
      try {
        core.teardown(call.request.frameworkId?.value ?? '');
        callback(null, {});
      } catch (err) {
        callback(toServiceError(err));
      }
    },
  };
}
