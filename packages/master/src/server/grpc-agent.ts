// Agent API edge: Agent.Connect (the agent's stream).
import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { AgentCall, IAgentEvent } from '@mesocosm/protocol';
import { authorizationOf } from '../auth/grpc-metadata.js';
import type { MasterCore } from '../core/master-core.js';
import type { AgentStream } from '../core/streams.js';
import { duplexConnection } from './duplex-connection.js';

/** The Agent service implementation over a master core. @internal */
export function agentService(core: MasterCore): UntypedServiceImplementation {
  return {
    connect(call: ServerDuplexStream<AgentCall, IAgentEvent>): void {
      const holder: { stream?: AgentStream } = {};
      const conn = duplexConnection<AgentCall, IAgentEvent>(
        call,
        (c) => holder.stream?.receive(c),
        () => holder.stream?.onClosed(),
        {
          onOverflow: (o) =>
            core.ctx.logger.warn('agent stream cut off: it stopped reading its events', {
              peer: call.getPeer(),
              queued: o.queued,
              stalledMs: o.stalledMs,
            }),
        },
      );
      if (!core.leading) return core.refuseAgentStream(conn);
      const who = core.ctx.auth.authenticate('agents', authorizationOf(call.metadata));
      if (!who.ok) {
        core.ctx.logger.warn('agent stream refused', { peer: call.getPeer(), why: who.error.message });
        return core.refuseAgentStreamWith(conn, who.error.code, who.error.message);
      }
      holder.stream = core.openAgentStream(conn, who.principal);
    },
  };
}
