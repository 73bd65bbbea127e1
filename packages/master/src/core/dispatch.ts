// Routes a checked scheduler call to its handler. A bad call gets an ERROR
// event; nothing a framework sends can crash the master.
import { CallType, MesocosmError, type Call, type mesocosm } from '@mesocosm/protocol';
import { accept } from './accept.js';
import { teardown } from './frameworks.js';
import { reconcile } from './reconcile.js';
import { acknowledge, decline, kill, message, revive, shutdown, suppress } from './scheduler-calls.js';
import { sendError } from './send.js';
import type { FrameworkConnection, FrameworkRecord, MasterContext } from './types.js';

function required<T>(body: T | null | undefined, name: string): T {
  if (body == null)
    throw new MesocosmError('INVALID_ARGUMENT', `a ${name} call needs its '${name.toLowerCase()}' field`);
  return body;
}

function route(ctx: MasterContext, fw: FrameworkRecord, conn: FrameworkConnection, call: Call): void {
  switch (call.type) {
    case CallType.ACCEPT:
      return accept(ctx, fw, conn, required<mesocosm.v1.Call.IAccept>(call.accept, 'ACCEPT'));
    case CallType.DECLINE:
      return decline(ctx, fw, required(call.decline, 'DECLINE'));
    case CallType.REVIVE:
      return revive(ctx, fw, call.revive);
    case CallType.SUPPRESS:
      return suppress(ctx, fw, call.suppress);
    case CallType.KILL:
      return kill(ctx, fw, conn, required(call.kill, 'KILL'));
    case CallType.ACKNOWLEDGE:
      return acknowledge(ctx, fw, conn, required(call.acknowledge, 'ACKNOWLEDGE'));
    case CallType.RECONCILE:
      return reconcile(ctx, fw, call.reconcile);
    case CallType.MESSAGE:
      return message(ctx, fw, conn, required(call.message, 'MESSAGE'));
    case CallType.SHUTDOWN:
      return shutdown(ctx, fw, conn, required(call.shutdown, 'SHUTDOWN'));
    case CallType.TEARDOWN:
      return teardown(ctx, fw, 'the framework asked (TEARDOWN)');
    default:
      throw new MesocosmError('INVALID_ARGUMENT', `unknown call type ${String(call.type)}`);
  }
}

/** Handles a call already checked against the framework's stream ID. */
export function dispatchCall(ctx: MasterContext, fw: FrameworkRecord, conn: FrameworkConnection, call: Call): void {
  try {
    route(ctx, fw, conn, call);
  } catch (err) {
    const code = err instanceof MesocosmError ? err.code : 'INTERNAL';
    const text = err instanceof Error ? err.message : String(err);
    if (code === 'INTERNAL')
      ctx.logger.error('scheduler call failed', { frameworkId: fw.id, type: call.type, error: text });
    sendError(ctx, conn, code, text, call.type);
  }
}
