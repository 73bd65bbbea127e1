// The master's state machine, without sockets: the edges (server/) feed it
// calls and connections; tests drive it with fakes and a FakeClock.
import { MesocosmError, type Call, type IClusterState, type IMasterInfo } from '@mesocosm/protocol';
import { Allocator } from '../allocator/index.js';
import { OfferBook } from '../offers/index.js';
import type { ResolvedOptions } from '../options.js';
import type { Registry } from '../registry/registry.js';
import { clusterState } from '../views/cluster-state.js';
import { metricsSnapshot } from '../views/metrics.js';
import { masterState, type MasterState } from '../views/state-json.js';
import { stopTimers } from './agent-liveness.js';
import { AllocationLoop } from './allocation-loop.js';
import { teardown } from './frameworks.js';
import { leaderHttpUrl, notLeaderMessage } from '../ha/leadership.js';
import { sendAgentError, sendError } from './send.js';
import { AgentStream, SchedulerStream, unaryCall } from './streams.js';
import type { AgentConnection, FrameworkConnection, MasterContext } from './types.js';

/** The core of a master. @internal */
export class MasterCore {
  readonly ctx: MasterContext;
  private readonly loop: AllocationLoop;

  /**
   * `info` is shared: the caller fills in the ports once its servers are bound.
   * `standby`: start not leading (HA mode) until {@link lead} is called.
   */
  constructor(options: ResolvedOptions, registry: Registry, info: IMasterInfo, standby = false) {
    this.loop = new AllocationLoop(() => this.ctx);
    this.ctx = {
      clock: options.clock,
      logger: options.logger,
      options,
      info,
      // A standby's refusals carry epoch 0, never raising a client's highest epoch.
      epoch: info.epoch ?? 0,
      leadership: standby
        ? { elected: false, leader: undefined, electedTime: undefined }
        : { elected: true, leader: info, electedTime: undefined }, // elected_time = start_time
      allocator: new Allocator({
        clock: options.clock,
        roleWeights: options.roleWeights,
        defaultRefuseSeconds: options.defaultRefuseSeconds,
      }),
      offers: new OfferBook(),
      registry,
      frameworks: new Map(),
      completedFrameworks: new Map(),
      agents: new Map(),
      streams: new Map(),
      sequence: { framework: 0, agent: 0, offer: 0 },
      counters: { terminal: new Map(), offersSent: 0, offersRescinded: 0, offersDeclined: 0, invalidCalls: 0 },
      startTime: options.clock.now(),
      scheduleAllocation: () => this.loop.schedule(),
      armOfferTimeout: () => this.loop.armOfferTimeout(),
    };
  }

  /** Starts the periodic allocation. */
  start(): void {
    this.loop.start();
  }

  /** Stops every timer and closes every stream. */
  stop(): void {
    this.loop.stop();
    for (const fw of this.ctx.frameworks.values()) {
      for (const t of [fw.heartbeatTimer, fw.failoverTimer]) if (t) this.ctx.clock.clearTimeout(t);
      fw.heartbeatTimer = fw.failoverTimer = undefined;
      fw.conn?.close();
    }
    for (const agent of this.ctx.agents.values()) {
      stopTimers(this.ctx, agent);
      agent.conn?.close();
    }
  }

  /** True while this master leads (always in standalone mode). */
  get leading(): boolean {
    return this.ctx.leadership.elected;
  }

  /** Why a standby refuses: names the leader when known. */
  notLeaderMessage(): string {
    return notLeaderMessage(this.ctx.leadership);
  }

  /** The leader's HTTP base URL (ours when we lead), if known. */
  leaderHttpUrl(): string | undefined {
    return leaderHttpUrl(this.ctx.leadership);
  }

  /** A standby refuses a scheduler stream: one ERROR event (NOT_LEADER), then the stream is closed. */
  refuseSchedulerStream(conn: FrameworkConnection): void {
    sendError(this.ctx, conn, 'NOT_LEADER', this.notLeaderMessage());
    conn.close();
  }

  /** A standby refuses an agent stream likewise. */
  refuseAgentStream(conn: AgentConnection): void {
    sendAgentError(this.ctx, conn, 'NOT_LEADER', this.notLeaderMessage());
    conn.close();
  }

  /** A standby learnt who leads (undefined: nobody yet). Ignored while we lead. */
  setLeader(leader: IMasterInfo | undefined): void {
    if (!this.ctx.leadership.elected) this.ctx.leadership.leader = leader;
  }

  /** Elected: stamp `epoch` on every event from now on and start serving. */
  lead(epoch: number): void {
    this.ctx.epoch = epoch;
    this.ctx.info.epoch = epoch;
    this.ctx.leadership.elected = true;
    this.ctx.leadership.leader = this.ctx.info;
    this.ctx.leadership.electedTime = this.ctx.clock.now();
    this.start();
  }

  /** Deposed: stop acting at once (every stream closed, every timer stopped); refuse from now on. */
  abdicate(): void {
    this.ctx.leadership.elected = false;
    this.ctx.leadership.leader = undefined;
    this.stop();
  }

  /** A new scheduler stream: feed it calls with `receive`, and `onClosed` when it ends. */
  openSchedulerStream(conn: FrameworkConnection): SchedulerStream {
    return new SchedulerStream(this.ctx, conn);
  }

  /** A new agent stream. */
  openAgentStream(conn: AgentConnection): AgentStream {
    return new AgentStream(this.ctx, conn);
  }

  /** Scheduler.Call; throws a MesocosmError (STALE_STREAM, INVALID_ARGUMENT) when refused. */
  call(call: Call): void {
    unaryCall(this.ctx, call);
  }

  /** Tears a framework down (operator). Throws UNKNOWN_FRAMEWORK when there is none. */
  teardown(frameworkId: string): void {
    const fw = this.ctx.frameworks.get(frameworkId);
    if (!fw) throw new MesocosmError('UNKNOWN_FRAMEWORK', `no framework '${frameworkId}' is registered`);
    teardown(this.ctx, fw, 'an operator asked (teardown)');
  }

  /** Allocates now (tests, benchmarks). */
  allocateNow(): void {
    this.loop.run();
  }

  state(): MasterState {
    return masterState(this.ctx);
  }

  clusterState(): IClusterState {
    return clusterState(this.ctx);
  }

  metrics(): Record<string, number> {
    return metricsSnapshot(this.ctx);
  }
}
