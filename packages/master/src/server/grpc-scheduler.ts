// Scheduler API edge: Scheduler.Subscribe (the framework's stream) and Scheduler.Call.
import type { sendUnaryData, ServerDuplexStream, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Call, IEvent, mesocosm } from '@mesocosm/protocol';
import { authorizationOf } from '../auth/grpc-metadata.js';
import type { MasterCore } from '../core/master-core.js';
import type { SchedulerStream } from '../core/streams.js';
import { notLeaderError, toServiceError } from '../errors.js';
import { duplexConnection } from './duplex-connection.js';

/** The Scheduler service implementation over a master core. @internal */
export function schedulerService(core: MasterCore): UntypedServiceImplementation {
  return {
    subscribe(call: ServerDuplexStream<Call, IEvent>): void {
      const holder: { stream?: SchedulerStream } = {};
      const conn = duplexConnection<Call, IEvent>(
        call,
        (c) => holder.stream?.receive(c),
        () => holder.stream?.onClosed(),
        {
          onOverflow: (o) =>
            core.ctx.logger.warn('scheduler stream cut off: it stopped reading its events', {
              peer: call.getPeer(),
              queued: o.queued,
              stalledMs: o.stalledMs,
            }),
        },
      );
      if (!core.leading) return core.refuseSchedulerStream(conn);
      const who = core.ctx.auth.authenticate('frameworks', authorizationOf(call.metadata));
      if (!who.ok) {
        core.ctx.logger.warn('scheduler stream refused', { peer: call.getPeer(), why: who.error.message });
        return core.refuseSchedulerStreamWith(conn, who.error.code, who.error.message);
      }
      holder.stream = core.openSchedulerStream(conn, who.principal);
    },
    call(
      call: ServerUnaryCall<Call, mesocosm.v1.ICallResponse>,
      callback: sendUnaryData<mesocosm.v1.ICallResponse>,
    ): void {
      if (!core.leading) return callback(notLeaderError(core.notLeaderMessage()));
      const who = core.ctx.auth.authenticate('frameworks', authorizationOf(call.metadata));
      if (!who.ok) return callback(toServiceError(who.error));
      try {
        core.call(call.request, who.principal);
        callback(null, {});
      } catch (err) {
        callback(toServiceError(err));
      }
    },
  };
}
