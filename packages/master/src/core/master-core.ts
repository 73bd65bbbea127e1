// The master's state machine, without sockets: the edges (server/) feed it
// calls and connections; tests drive it with fakes and a FakeClock.
import { MesocosmError, type Call, type IClusterState, type IMasterInfo } from '@mesocosm/protocol';
import { RecoveringError } from '../errors.js';
import type { DrainConfig } from '../registry/registry.js';
import { Allocator } from '../allocator/index.js';
import { MasterAuth } from '../auth/master-auth.js';
import { SEE_ALL, viewerFor, type Viewer } from '../auth/viewer.js';
import type { ResolvedOptions } from '../options.js';
import type { Registry } from '../registry/registry.js';
import { clusterState } from '../views/cluster-state.js';
import { metricsSnapshot } from '../views/metrics.js';
import { masterState, type MasterState } from '../views/state-json.js';
import { stopTimers } from './agent-liveness.js';
import { AllocationLoop } from './allocation-loop.js';
import { ChangeLog, ObservedOfferBook } from './change-log.js';
import { teardown } from './frameworks.js';
import { stopRecoveredTimers } from './gone-agents.js';
import { deactivateAgent, drainAgent, reactivateAgent } from './maintenance.js';
import { answerPendingReconciles } from './reconcile.js';
import { recoverAgentRecords, recoverFromRegistry } from './recovery.js';
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
    const changes = new ChangeLog();
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
      offers: new ObservedOfferBook(changes),
      registry,
      frameworks: new Map(),
      completedFrameworks: new Map(),
      agents: new Map(),
      recovered: new Map(),
      gone: new Map(),
      agentClaims: new Map(),
      maintenance: new Map(),
      pendingReconciles: [],
      recovering: false,
      serving: Promise.resolve(),
      streams: new Map(),
      sequence: { framework: 0, agent: 0, offer: 0 },
      counters: { terminal: new Map(), offersSent: 0, offersRescinded: 0, offersDeclined: 0, invalidCalls: 0 },
      startTime: options.clock.now(),
      scheduleAllocation: () => this.loop.schedule(),
      armOfferTimeout: () => this.loop.armOfferTimeout(),
      agentSettled: () => answerPendingReconciles(this.ctx),
      changes,
      auth: new MasterAuth(options.auth),
    };
  }

  /** Starts the periodic allocation. */
  start(): void {
    this.loop.start();
  }

  /** Stops every timer and closes every stream. */
  stop(): void {
    this.loop.stop();
    stopRecoveredTimers(this.ctx);
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

  /** The core's clock. */
  get clock(): MasterContext['clock'] {
    return this.ctx.clock;
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
    return leaderHttpUrl(this.ctx.leadership, this.ctx.options.httpScheme);
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

  /**
   * A standby learnt who leads (undefined: nobody yet); ignored while we lead.
   * `masters`: every master of the election group, as read with it.
   */
  setLeader(leader: IMasterInfo | undefined, masters?: IMasterInfo[]): void {
    if (masters) this.ctx.leadership.masters = masters;
    if (this.ctx.leadership.elected && !masters) return;
    if (!this.ctx.leadership.elected) this.ctx.leadership.leader = leader;
    this.ctx.changes.leadership();
  }

  /** Every master of the election group, as last read from ZooKeeper (HA mode). */
  setMasters(masters: IMasterInfo[]): void {
    this.ctx.leadership.masters = masters;
    this.ctx.changes.leadership();
  }

  /**
   * Elected: stamp `epoch` on every event from now on, load the registry,
   * then serve. Streams opened meanwhile wait (their calls are handled once
   * recovered); operator calls are refused with a retryable error. The
   * agents' records are read once serving (resolves after). Rejects when the
   * registry cannot be read: the caller must give the leadership up.
   */
  async lead(epoch: number): Promise<void> {
    const ctx = this.ctx;
    ctx.epoch = epoch;
    ctx.info.epoch = epoch;
    ctx.leadership.elected = true;
    ctx.leadership.leader = ctx.info;
    ctx.leadership.electedTime = ctx.clock.now();
    ctx.recovering = true;
    let release = (): void => undefined;
    ctx.serving = new Promise<void>((resolve) => (release = resolve));
    try {
      const found = await recoverFromRegistry(ctx);
      ctx.logger.info('registry recovered', { epoch, ...found });
    } catch (err) {
      ctx.recovering = false;
      this.abdicate(); // waiting streams are refused (NOT_LEADER)
      release();
      throw err;
    }
    ctx.recovering = false;
    if (ctx.leadership.elected) this.start();
    release();
    ctx.changes.leadership();
    try {
      const records = await recoverAgentRecords(ctx); // agents re-register meanwhile
      ctx.logger.info('agent records read', { epoch, recovered: records });
    } catch (err) {
      if (ctx.leadership.elected) this.abdicate();
      throw err;
    }
  }

  /** Deposed: stop acting at once (every stream closed, every timer stopped); refuse from now on. */
  abdicate(): void {
    this.ctx.leadership.elected = false;
    this.ctx.leadership.leader = undefined;
    this.stop();
    this.ctx.changes.leadership();
  }

  /**
   * A new scheduler stream: feed it calls with `receive`, and `onClosed` when
   * it ends. `principal`: whom it authenticated as, if anyone.
   */
  openSchedulerStream(conn: FrameworkConnection, principal?: string): SchedulerStream {
    return new SchedulerStream(this.ctx, conn, principal);
  }

  /** Refuses a stream before its first call (e.g. UNAUTHENTICATED): one ERROR event, then it is closed. */
  refuseSchedulerStreamWith(conn: FrameworkConnection, code: string, message: string): void {
    sendError(this.ctx, conn, code, message);
    conn.close();
  }

  /** Likewise for an agent stream. */
  refuseAgentStreamWith(conn: AgentConnection, code: string, message: string): void {
    sendAgentError(this.ctx, conn, code, message);
    conn.close();
  }

  /** A new agent stream. `principal`: whom it authenticated as, if anyone (its agent ID is bound to it). */
  openAgentStream(conn: AgentConnection, principal?: string): AgentStream {
    return new AgentStream(this.ctx, conn, principal);
  }

  /**
   * Scheduler.Call; throws a MesocosmError (STALE_STREAM, INVALID_ARGUMENT,
   * PERMISSION_DENIED) when refused. `principal`: whom the caller authenticated as.
   */
  call(call: Call, principal?: string): void {
    unaryCall(this.ctx, call, principal);
  }

  /**
   * Tears a framework down (operator `principal`, checked against the
   * teardown_frameworks ACLs). Throws UNKNOWN_FRAMEWORK when there is none,
   * PERMISSION_DENIED when an ACL says no.
   */
  teardown(frameworkId: string, principal?: string): void {
    this.checkServing();
    const fw = this.ctx.frameworks.get(frameworkId);
    if (!fw) throw new MesocosmError('UNKNOWN_FRAMEWORK', `no framework '${frameworkId}' is registered`);
    this.ctx.auth.authorize(
      'teardown_frameworks',
      principal,
      { framework_principals: fw.info.principal || undefined },
      `tear down framework ${frameworkId}${fw.info.principal ? ` (principal '${fw.info.principal}')` : ''}`,
    );
    teardown(this.ctx, fw, `an operator asked (teardown${principal === undefined ? '' : ` by '${principal}'`})`);
  }

  /** True from the election until the registry is loaded. */
  get recovering(): boolean {
    return this.ctx.recovering;
  }

  /** DRAIN_AGENT; resolves once the drain is in the registry. `principal`: checked against drain_agents. */
  async drainAgent(agentId: string, config: DrainConfig, principal?: string): Promise<void> {
    this.checkServing();
    this.authorizeMaintenance(agentId, principal, 'drain');
    await drainAgent(this.ctx, agentId, config);
  }

  /** DEACTIVATE_AGENT; resolves once it is in the registry. `principal`: checked against drain_agents. */
  async deactivateAgent(agentId: string, principal?: string): Promise<void> {
    this.checkServing();
    this.authorizeMaintenance(agentId, principal, 'deactivate');
    await deactivateAgent(this.ctx, agentId);
  }

  /** REACTIVATE_AGENT; resolves once it is in the registry. `principal`: checked against drain_agents. */
  async reactivateAgent(agentId: string, principal?: string): Promise<void> {
    this.checkServing();
    this.authorizeMaintenance(agentId, principal, 'reactivate');
    await reactivateAgent(this.ctx, agentId);
  }

  /** The drain_agents ACLs name agents by hostname (an unknown agent: by its ID). */
  private authorizeMaintenance(agentId: string, principal: string | undefined, verb: string): void {
    const hostname = this.ctx.agents.get(agentId)?.info.hostname || this.ctx.recovered.get(agentId)?.info.hostname;
    this.ctx.auth.authorize(
      'drain_agents',
      principal,
      { agents: hostname || agentId },
      `${verb} agent ${agentId}${hostname ? ` (${hostname})` : ''}`,
    );
  }

  /** Throws NOT_LEADER on a standby and a retryable RecoveringError while recovering. */
  private checkServing(): void {
    if (!this.ctx.leadership.elected) throw new MesocosmError('NOT_LEADER', this.notLeaderMessage());
    if (this.ctx.recovering) throw new RecoveringError();
  }

  /** Allocates now (tests, benchmarks). */
  allocateNow(): void {
    this.loop.run();
  }

  /** /master/state, without what `viewer` may not see (default: everything). */
  state(viewer: Viewer = SEE_ALL): MasterState {
    return masterState(this.ctx, viewer);
  }

  /** Operator.GetState, without what `viewer` may not see (default: everything). */
  clusterState(viewer: Viewer = SEE_ALL): IClusterState {
    return clusterState(this.ctx, viewer);
  }

  /** What an operator authenticated as `principal` may see (view_* ACLs). */
  viewer(principal: string | undefined): Viewer {
    return viewerFor(this.ctx.auth, principal);
  }

  metrics(): Record<string, number> {
    return metricsSnapshot(this.ctx);
  }
}
