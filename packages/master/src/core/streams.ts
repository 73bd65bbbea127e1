// One scheduler or agent stream: its calls handled in order, its binding to a
// framework or agent, its end.
import {
  AgentCallType,
  CallType,
  MesocosmError,
  validateAgentCallBounds,
  validateCallBounds,
  type AgentCall,
  type Call,
} from '@mesocosm/protocol';
import { agentHeartbeat, disconnectAgent } from './agent-liveness.js';
import { registerAgent } from './agents.js';
import { checkReportedTasksFit } from './agent-tasks.js';
import { executorMessage, statusUpdate } from './agent-calls.js';
import { dispatchCall } from './dispatch.js';
import { checkCallPrincipal } from './framework-auth.js';
import { disconnect, subscribe } from './frameworks.js';
import { notLeaderMessage } from '../ha/leadership.js';
import { sendAgentError, sendError } from './send.js';
import type { AgentConnection, AgentRecord, FrameworkConnection, FrameworkRecord, MasterContext } from './types.js';

function codeOf(err: unknown): string {
  return err instanceof MesocosmError ? err.code : 'INTERNAL';
}

function textOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Calls run one after another per stream (SUBSCRIBE and REGISTER wait on the registry). */
abstract class OrderedStream<C> {
  private queue: Promise<void> = Promise.resolve();
  protected closed = false;

  constructor(protected readonly ctx: MasterContext) {}

  /**
   * A call arrived on the stream (handled once the master serves: after its
   * registry recovery). Resolves once it is handled (never rejects): the edge
   * pauses a stream while too many of its calls wait.
   */
  receive(call: C): Promise<void> {
    this.queue = this.queue.then(async () => {
      await this.ctx.serving;
      if (this.closed) return;
      if (!this.ctx.leadership.elected) {
        // Deposed (or recovery failed) while the call waited.
        this.refuseNotLeader();
        this.closed = true;
        return;
      }
      try {
        await this.handle(call);
      } catch (err) {
        this.ctx.logger.error('stream call failed', { error: textOf(err) });
      }
    });
    return this.queue;
  }

  /** Resolves once every call received so far is handled. */
  settled(): Promise<void> {
    return this.queue;
  }

  protected abstract handle(call: C): Promise<void>;

  /** One NOT_LEADER error, then the stream is closed. */
  protected abstract refuseNotLeader(): void;
}

/** A scheduler stream (Scheduler.Subscribe). */
export class SchedulerStream extends OrderedStream<Call> {
  private fw: FrameworkRecord | undefined;

  constructor(
    ctx: MasterContext,
    private readonly conn: FrameworkConnection,
    /** The principal the stream authenticated as (undefined: none presented). */
    private readonly principal?: string,
  ) {
    super(ctx);
  }

  protected async handle(call: Call): Promise<void> {
    const { ctx, conn } = this;
    try {
      validateCallBounds(call);
    } catch (err) {
      // Over a bound of wire input (limits.ts): refused before any handler sees it.
      sendError(ctx, conn, codeOf(err), textOf(err), call.type);
      if (!this.fw) this.end();
      return;
    }
    if (call.type === CallType.SUBSCRIBE) {
      const requested = call.subscribe?.frameworkInfo?.id?.value || call.frameworkId?.value || undefined;
      if (this.fw && requested !== this.fw.id) {
        // One stream serves one framework: a second one here would be left behind, connected to
        // nothing, when the stream ends. (Found by the fuzz run, test/fuzz.)
        sendError(
          ctx,
          conn,
          'INVALID_ARGUMENT',
          `SUBSCRIBE refused: this stream serves framework ${this.fw.id}; subscribe ${requested ? `framework ${requested}` : 'a new framework'} on a new stream`,
          CallType.SUBSCRIBE,
        );
        return;
      }
      try {
        this.fw = (await subscribe(ctx, conn, call, () => !this.closed, this.principal)) ?? this.fw;
      } catch (err) {
        sendError(ctx, conn, codeOf(err), `SUBSCRIBE refused: ${textOf(err)}`, CallType.SUBSCRIBE);
        if (!this.fw) this.end();
      }
      return;
    }
    const fw = this.fw;
    if (!fw) {
      sendError(ctx, conn, 'NOT_SUBSCRIBED', 'the first call on a stream must be SUBSCRIBE', call.type);
      this.end();
      return;
    }
    if (fw.conn !== conn || ctx.frameworks.get(fw.id) !== fw) {
      sendError(
        ctx,
        conn,
        'STALE_STREAM',
        `this stream no longer serves framework ${fw.id}; subscribe again`,
        call.type,
      );
      return;
    }
    if (call.streamId !== fw.streamId || call.frameworkId?.value !== fw.id) {
      sendError(
        ctx,
        conn,
        'STALE_STREAM',
        `call carries stream_id '${call.streamId}' and framework_id '${call.frameworkId?.value ?? ''}'; this stream is '${fw.streamId ?? ''}' of framework '${fw.id}'`,
        call.type,
      );
      return;
    }
    dispatchCall(ctx, fw, conn, call);
  }

  private end(): void {
    this.closed = true;
    this.conn.close();
  }

  protected refuseNotLeader(): void {
    sendError(this.ctx, this.conn, 'NOT_LEADER', notLeaderMessage(this.ctx.leadership));
    this.conn.close();
  }

  /** The stream ended (either side). */
  onClosed(): void {
    this.closed = true;
    if (this.fw && this.fw.conn === this.conn) disconnect(this.ctx, this.fw);
  }
}

/** Scheduler.Call: a call outside the stream, for a live stream ID. Throws when there is none. */
export function unaryCall(ctx: MasterContext, call: Call, principal?: string): void {
  validateCallBounds(call);
  if (call.type === CallType.UNKNOWN || CallType[call.type] === undefined) {
    // Refused here, in the answer, rather than as an ERROR event on the stream.
    throw new MesocosmError('INVALID_ARGUMENT', `unknown call type ${String(call.type)}`);
  }
  if (call.type === CallType.SUBSCRIBE) {
    throw new MesocosmError(
      'INVALID_ARGUMENT',
      'SUBSCRIBE must open a stream (Scheduler.Subscribe), not use Scheduler.Call',
    );
  }
  const fw = ctx.streams.get(call.streamId);
  if (!fw?.conn || fw.id !== call.frameworkId?.value) {
    throw new MesocosmError(
      'STALE_STREAM',
      `stream_id '${call.streamId}' is not a live subscription of framework '${call.frameworkId?.value ?? ''}'`,
    );
  }
  checkCallPrincipal(ctx, fw, principal);
  dispatchCall(ctx, fw, fw.conn, call);
}

/** An agent stream (Agent.Connect). */
export class AgentStream extends OrderedStream<AgentCall> {
  private agent: AgentRecord | undefined;

  constructor(
    ctx: MasterContext,
    private readonly conn: AgentConnection,
    /** The principal the stream authenticated as (undefined: none presented). */
    private readonly principal?: string,
  ) {
    super(ctx);
  }

  protected async handle(call: AgentCall): Promise<void> {
    const { ctx, conn } = this;
    try {
      validateAgentCallBounds(call);
    } catch (err) {
      sendAgentError(ctx, conn, codeOf(err), textOf(err));
      if (!this.agent || call.type === AgentCallType.REGISTER || call.type === AgentCallType.REREGISTER) this.end();
      return;
    }
    if (call.type === AgentCallType.REGISTER || call.type === AgentCallType.REREGISTER) {
      if (this.agent?.conn === conn && !call.register?.agentInfo?.id?.value && call.type === AgentCallType.REGISTER) {
        call.register = { ...call.register, agentInfo: { ...call.register?.agentInfo, id: { value: this.agent.id } } };
      }
      const requested = call.register?.agentInfo?.id?.value || call.agentId?.value || undefined;
      if (this.agent && requested !== this.agent.id) {
        // One stream is one agent: a second one here would stay "connected" to nothing once the
        // stream ends. (Found by the fuzz run, test/fuzz.)
        sendAgentError(
          ctx,
          conn,
          'INVALID_ARGUMENT',
          `registration refused: this stream is agent ${this.agent.id}; register agent ${requested ?? '(new)'} on a new stream`,
        );
        return;
      }
      try {
        checkReportedTasksFit(ctx, call.register);
        this.agent = (await registerAgent(ctx, conn, call, () => !this.closed, this.principal)) ?? this.agent;
      } catch (err) {
        sendAgentError(ctx, conn, codeOf(err), `registration refused: ${textOf(err)}`);
        this.end();
      }
      return;
    }
    const agent = this.agent;
    if (!agent || agent.conn !== conn) {
      sendAgentError(
        ctx,
        conn,
        'UNKNOWN_AGENT',
        'this stream is not a registered agent: send REGISTER or REREGISTER first',
      );
      this.end();
      return;
    }
    switch (call.type) {
      case AgentCallType.UPDATE:
        statusUpdate(ctx, agent, call.update ?? {});
        return;
      case AgentCallType.HEARTBEAT:
        agentHeartbeat(agent);
        return;
      case AgentCallType.MESSAGE:
        executorMessage(ctx, agent, call.message ?? {});
        return;
      default:
        sendAgentError(ctx, conn, 'INVALID_ARGUMENT', `unknown agent call type ${String(call.type)}`);
    }
  }

  private end(): void {
    this.closed = true;
    this.conn.close();
  }

  protected refuseNotLeader(): void {
    sendAgentError(this.ctx, this.conn, 'NOT_LEADER', notLeaderMessage(this.ctx.leadership));
    this.conn.close();
  }

  /** The stream ended (either side). */
  onClosed(): void {
    this.closed = true;
    if (this.agent && this.agent.conn === this.conn) disconnectAgent(this.ctx, this.agent);
  }
}
