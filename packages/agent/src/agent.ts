// The agent: wires resource discovery, the master link, the task manager,
// the status update manager and the HTTP server together.
import { mkdir, rm } from 'node:fs/promises';
import {
  AgentCallType,
  AgentEventType,
  isTerminalState,
  newUpdateUuid,
  Resources,
  type AgentEvent,
  type IAgentCall,
  type Logger,
  servesTls,
} from '@mesocosm/protocol';
import { agentIdPath, readAgentId, writeAgentId } from './checkpoint/agent-id.js';
import { cleanupCheckpoints } from './checkpoint/cleanup.js';
import { readStatusUpdates, writeStatusUpdates } from './checkpoint/status-update-checkpoint.js';
import { readTaskCheckpoints } from './checkpoint/task-checkpoint.js';
import { readExecutorCheckpoints, type ExecutorCheckpoint } from './checkpoint/executor-checkpoint.js';
import { TaskCheckpointer } from './checkpoint/task-checkpointer.js';
import { DockerEngine } from './docker/docker-engine.js';
import { AgentOptionError } from './errors.js';
import type { ExecutorRegistry } from './executor-api/executor-registry.js';
import { executorEndpoint, type ExecutorApiServer } from './executor-api/executor-server.js';
import { bindExecutorApi } from './executor-api/bind-executor-api.js';
import { executorApiSecurity, type ExecutorApiSecurity } from './executor-api/executor-api-security.js';
import { CustomExecutors } from './executors/custom-executors.js';
import { Fetcher } from './fetcher/fetcher.js';
import { selectIsolator } from './isolation/select-isolator.js';
import type { Isolator } from './isolation/isolator.js';
import { MasterLink } from './master/master-link.js';
import { resolveOptions, type AgentOptions, type ResolvedOptions } from './options.js';
import { agentResources } from './resources/host-resources.js';
import { probeHost } from './resources/probe-host.js';
import { sandboxesRoot } from './sandbox/sandbox-dirs.js';
import { startHttpServer, type AgentHttpServer } from './server/http-server.js';
import { agentStateJson } from './server/state-json.js';
import { StatusUpdateManager } from './status-updates/status-update-manager.js';
import { TaskBook } from './tasks/task-book.js';
import { TaskManager } from './tasks/task-manager.js';
import { registerCall } from './master/register-call.js';

/** The master's error code for an agent it removed for good (docs/high-availability.md). */
const AGENT_REMOVED = 'AGENT_REMOVED';

/**
 * A Mesocosm agent: advertises this host's resources to a master and runs
 * the tasks the master sends it.
 */
export class Agent {
  /** The agent's HTTP base URL (sandboxes, state): `http://advertiseIp:port` (`https://` with TLS). */
  readonly httpUrl: string;
  private id: string | undefined;
  private highestEpoch = 0;
  private connected = false;
  private stopped = false;
  private readonly book = new TaskBook();
  private readonly statusUpdates: StatusUpdateManager;
  private readonly tasks: TaskManager;
  private readonly customExecutors: CustomExecutors;
  private readonly checkpointer: TaskCheckpointer;
  /** Tasks of this agent's removed self (`fw\0task`): their updates are not sent (see forgetRemovedId). */
  private readonly forgotten = new Set<string>();
  private readonly link: MasterLink;
  private readonly logger: Logger;
  private readonly startTime: number;
  private registeredWaiters: ((id: string) => void)[] = [];

  private constructor(
    private readonly o: ResolvedOptions,
    private readonly resources: Resources,
    private readonly isolator: Isolator,
    checkpointedId: string | undefined,
    private readonly http: AgentHttpServer,
    private readonly executorApi: ExecutorApiServer,
    executorApiAccess: ExecutorApiSecurity,
  ) {
    this.id = checkpointedId;
    this.logger = o.logger;
    this.startTime = o.clock.now();
    const ip = o.advertiseIp.includes(':') ? `[${o.advertiseIp}]` : o.advertiseIp;
    this.httpUrl = `${servesTls(o.tls) ? 'https' : 'http'}://${ip}:${http.port}`;
    this.checkpointer = new TaskCheckpointer(o.workDir, o.logger.child('checkpoint'));
    this.statusUpdates = new StatusUpdateManager({
      clock: o.clock,
      logger: o.logger.child('status-updates'),
      initialRetryMs: o.statusUpdateRetryMs,
      maxRetryMs: o.statusUpdateMaxRetryMs,
      newUuid: newUpdateUuid,
      send: (u) => {
        if (this.forgotten.has(`${u.frameworkId}\u0000${u.taskId}`)) {
          // A task of this agent's removed self: its framework was told it is gone; say nothing more.
          queueMicrotask(() => this.statusUpdates.acknowledge(u.frameworkId, u.taskId, u.uuid));
          return;
        }
        this.link.send({
          type: AgentCallType.UPDATE,
          agentId: { value: this.id ?? '' },
          update: { status: u.status, frameworkId: { value: u.frameworkId } },
        });
      },
      onAcknowledged: (u, remaining) => {
        this.customExecutors.acknowledged(u.frameworkId, u.taskId, u.uuid);
        if (remaining > 0) return;
        const record = this.book.get(u.frameworkId, u.taskId);
        if (record && isTerminalState(record.state)) this.checkpointer.remove(u.frameworkId, u.taskId);
        this.book.complete(u.frameworkId, u.taskId);
      },
      // Checkpointed before anything is sent: a restarted agent resends them, with the same uuids.
      onChange: (m) => {
        try {
          writeStatusUpdates(o.workDir, m.snapshot());
        } catch (err) {
          this.logger.error('cannot checkpoint the status updates', { error: String(err) });
        }
      },
    });
    const fetcher = new Fetcher({
      workDir: o.workDir,
      clock: o.clock,
      logger: o.logger.child('fetcher'),
      maxBytes: o.fetcherMaxBytes,
      stallTimeoutMs: o.fetcherStallTimeoutMs,
    });
    this.customExecutors = new CustomExecutors({
      workDir: o.workDir,
      switchUser: o.switchUser,
      fetchUris: (sandbox, uris) => fetcher.fetchAll(sandbox, uris),
      isolator,
      clock: o.clock,
      logger: o.logger.child('executors'),
      agentId: () => this.id ?? '',
      agentInfo: () => ({ id: { value: this.id ?? '' }, hostname: o.hostname, ip: o.advertiseIp, port: http.port }),
      endpoint: () => this.grpcAddress,
      executorApiCredentials: (claims) => executorApiAccess.credentials(claims),
      host: o.advertiseIp,
      registrationTimeoutMs: o.executorRegistrationTimeoutMs,
      reregistrationTimeoutMs: o.executorReregistrationTimeoutMs,
      // A disconnected executor retries at least twice per re-registration timeout (Mesos: once).
      subscriptionBackoffMaxMs: Math.max(1, Math.floor(o.executorReregistrationTimeoutMs / 2)),
      shutdownGracePeriodMs: o.executorShutdownGracePeriodMs,
      statusUpdate: (frameworkId, status, uuid) => this.statusUpdates.update(frameworkId, status, uuid),
      pendingUpdates: (frameworkId, taskId) => this.statusUpdates.pending(frameworkId, taskId),
      frameworkMessage: (frameworkId, executorId, data) => this.frameworkMessage(frameworkId, executorId, data),
    });
    this.tasks = new TaskManager({
      workDir: o.workDir,
      isolator,
      statusUpdates: this.statusUpdates,
      book: this.book,
      clock: o.clock,
      logger: o.logger.child('tasks'),
      agentId: () => this.id ?? '',
      host: o.advertiseIp,
      defaultKillGracePeriodMs: o.defaultKillGracePeriodMs,
      docker: new DockerEngine(o.docker),
      customExecutors: this.customExecutors,
      fetcher,
      checkpointer: this.checkpointer,
      switchUser: o.switchUser,
    });
    this.link = new MasterLink({
      address: o.master,
      ...(o.zkSessionTimeoutMs === undefined ? {} : { zkSessionTimeoutMs: o.zkSessionTimeoutMs }),
      clock: o.clock,
      logger: o.logger,
      backoffBaseMs: o.registrationBackoffMs,
      backoffMaxMs: o.registrationBackoffMaxMs,
      ...(o.tls ? { tls: o.tls } : {}),
      ...(o.credential ? { credential: o.credential } : {}),
      hello: () => this.hello(),
      onEvent: (e) => this.onEvent(e),
      onDisconnected: () => {
        this.connected = false;
        this.statusUpdates.disconnected();
      },
    });
  }

  /** Starts an agent. Resolves once HTTP listens; registration goes on in the background (see {@link registered}). */
  static async start(options: AgentOptions): Promise<Agent> {
    const o = resolveOptions(options);
    await mkdir(sandboxesRoot(o.workDir), { recursive: true });
    const resources = agentResources(await probeHost(o.workDir), o.resourcesFlag);
    const isolator = await selectIsolator(o.isolation, o.clock, o.logger.child('isolation'));
    o.logger.info(`isolation: ${isolator.name} (${isolator.reason})`);
    // Mesos' --recover=cleanup: kill what the previous run left, start afresh under a new ID.
    if (o.recover === 'cleanup') await cleanupCheckpoints(o.workDir, o.clock, o.logger.child('checkpoint'));
    const checkpointedId = await readAgentId(o.workDir);
    const executors = readExecutorCheckpoints(o.workDir);
    let agent: Agent | undefined = undefined;
    const http = await startHttpServer(o.ip, o.port, {
      sandboxes: sandboxesRoot(o.workDir),
      logger: o.logger.child('http'),
      state: () => agent?.state() ?? {},
      ...(servesTls(o.tls) ? { tls: o.tls } : {}),
    });
    const registry: ExecutorRegistry = {
      subscribe: (fw, ex, call, stream) =>
        agent?.customExecutors.subscribe(fw, ex, call, stream) ?? 'the agent is still starting: subscribe again',
      containerId: (fw, ex) => agent?.customExecutors.containerId(fw, ex),
    };
    const executorApiLogger = o.logger.child('executor-api');
    const access = await executorApiSecurity(o.workDir, o.tls, o.authenticateHttpExecutors, executorApiLogger).catch(
      async (err: unknown) => {
        await http.close();
        throw err;
      },
    );
    const executorApi = await bindExecutorApi(
      o.ip,
      o.grpcPort,
      executors.executors,
      registry,
      executorApiLogger,
      access,
    ).catch(async (err: unknown) => {
      await http.close();
      throw new AgentOptionError(
        '--grpc_port',
        `cannot serve the executor API on ${o.ip}:${o.grpcPort}: ${err instanceof Error ? err.message : String(err)} (pick another port, or 0 for a free one)`,
      );
    });
    agent = new Agent(o, resources, isolator, checkpointedId, http, executorApi, access);
    o.logger.info('agent started', {
      http: agent.httpUrl,
      executorApi: agent.grpcAddress,
      master: o.master,
      resources: resources.toString(),
      ...(checkpointedId ? { checkpointedId } : {}),
    });
    // Re-registration reports the tasks and containers a previous run left running.
    for (const p of executors.problems)
      o.logger.error('cannot read an executor checkpoint: it is not recovered', { p });
    await agent.recover(executors.executors);
    await agent.tasks.recoverDocker();
    agent.link.start();
    return agent;
  }

  /** The executor API's address (gRPC, `host:port`): custom executors get it as MESOCOSM_AGENT_ENDPOINT. */
  get grpcAddress(): string {
    return executorEndpoint(this.o.ip, this.executorApi.port);
  }

  /** The agent ID, once registered (or as checkpointed by an earlier run). */
  get agentId(): string | undefined {
    return this.id;
  }

  /** Resolves with the agent ID once the master has (re-)registered this agent. */
  registered(): Promise<string> {
    if (this.connected && this.id !== undefined) return Promise.resolve(this.id);
    return new Promise((resolve) => this.registeredWaiters.push(resolve));
  }

  /** Stops the agent; running tasks are killed only with `killTasksOnExit`. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.tasks.stop(this.o.killTasksOnExit);
    await this.customExecutors.stop(this.o.killTasksOnExit);
    this.statusUpdates.stop();
    this.link.stop();
    await this.executorApi.close();
    await this.http.close();
    this.logger.info('agent stopped');
  }

  /**
   * Takes over the checkpointed status updates, custom executors and command
   * tasks of a previous run (before registering). Up to the custom executors
   * it is synchronous: they are known before an executor's SUBSCRIBE can be read.
   */
  private async recover(executors: readonly ExecutorCheckpoint[]): Promise<void> {
    try {
      this.statusUpdates.restore(readStatusUpdates(this.o.workDir));
    } catch (err) {
      this.logger.error('cannot read the checkpointed status updates: they are lost', { error: String(err) });
    }
    this.tasks.recoverCustomExecutors(executors);
    const { tasks, problems } = readTaskCheckpoints(this.o.workDir);
    for (const p of problems) this.logger.error('cannot read a task checkpoint: the task is not recovered', { p });
    if (tasks.length > 0) this.logger.info('recovering checkpointed tasks', { count: tasks.length });
    await this.tasks.recoverCommandTasks(tasks);
  }

  private hello(): IAgentCall {
    return registerCall({
      id: this.id,
      hostname: this.o.hostname,
      ip: this.o.advertiseIp,
      port: this.http.port,
      scheme: servesTls(this.o.tls) ? 'https' : 'http',
      resources: this.resources,
      attributes: this.o.attributes,
      tasks: this.book.tasks(),
    });
  }

  /**
   * An executor's MESSAGE for its framework, sent on to the master (Mesos'
   * ExecutorToFrameworkMessage). Best effort, as in Mesos: while the agent is
   * not registered with a master the message is dropped, not queued.
   */
  private frameworkMessage(frameworkId: string, executorId: string, data: Uint8Array): void {
    const sent =
      this.connected &&
      this.id !== undefined &&
      this.link.send({
        type: AgentCallType.MESSAGE,
        agentId: { value: this.id },
        message: { frameworkId: { value: frameworkId }, executorId: { value: executorId }, data },
      });
    if (!sent)
      this.logger.warn('dropping an executor message: the agent is not registered with a master', {
        frameworkId,
        executorId,
        bytes: data.length,
      });
  }

  private onEvent(e: AgentEvent): void {
    const epoch = Number(e.epoch);
    if (epoch < this.highestEpoch) {
      this.logger.warn('ignoring an event from an older master epoch', {
        type: AgentEventType[e.type],
        epoch,
        highest: this.highestEpoch,
      });
      return;
    }
    this.highestEpoch = epoch;
    switch (e.type) {
      case AgentEventType.REGISTERED:
        void this.onRegistered(e);
        return;
      case AgentEventType.PING:
        this.link.send({ type: AgentCallType.HEARTBEAT, agentId: { value: this.id ?? '' } });
        return;
      case AgentEventType.RUN_TASK:
        this.tasks.runTask(e.runTask?.framework ?? {}, e.runTask?.task ?? {});
        return;
      case AgentEventType.KILL_TASK:
        this.tasks.killTask(
          e.killTask?.frameworkId?.value ?? '',
          e.killTask?.taskId?.value ?? '',
          e.killTask?.killPolicy ?? null,
        );
        return;
      case AgentEventType.ACKNOWLEDGE:
        this.statusUpdates.acknowledge(
          e.acknowledge?.frameworkId?.value ?? '',
          e.acknowledge?.taskId?.value ?? '',
          e.acknowledge?.uuid ?? new Uint8Array(),
        );
        return;
      case AgentEventType.SHUTDOWN_FRAMEWORK:
        this.tasks.shutdownFramework(e.shutdownFramework?.frameworkId?.value ?? '');
        return;
      case AgentEventType.ERROR:
        if (e.error?.code === AGENT_REMOVED) {
          void this.forgetRemovedId(e.error.message ?? '');
          return;
        }
        this.logger.warn('error from the master', { code: e.error?.code, message: e.error?.message });
        return;
      case AgentEventType.MESSAGE: {
        const m = e.message;
        const [fw, ex] = [m?.frameworkId?.value ?? '', m?.executorId?.value ?? ''];
        if (!this.customExecutors.message(fw, ex, m?.data ?? new Uint8Array()))
          this.logger.warn('dropping a framework message for an executor that is not running here', {
            frameworkId: fw,
            executorId: ex,
          });
        return;
      }
      default:
        this.logger.warn('ignoring an unknown event from the master', { type: e.type });
    }
  }

  /**
   * The master removed this agent for good (it did not come back within the
   * re-registration timeout, or was drained with mark_gone): frameworks were
   * told its tasks are gone, so they are killed here too, and the agent
   * registers afresh under a new ID (Mesos makes the operator do this by hand).
   */
  private async forgetRemovedId(message: string): Promise<void> {
    this.logger.error('the master removed this agent; killing its tasks and registering under a new ID', {
      agentId: this.id,
      message,
    });
    const tasks = this.book.tasks();
    for (const t of tasks) this.forgotten.add(`${t.frameworkId}\u0000${t.taskId}`);
    for (const fw of new Set(tasks.map((t) => t.frameworkId))) this.tasks.shutdownFramework(fw);
    this.id = undefined;
    try {
      await rm(agentIdPath(this.o.workDir), { force: true });
    } catch (err) {
      this.logger.error('cannot remove the checkpointed agent ID', { error: String(err) });
    }
  }

  private async onRegistered(e: AgentEvent): Promise<void> {
    const id = e.registered?.agentId?.value ?? '';
    if (id === '') {
      this.logger.error('REGISTERED without an agent ID: ignored');
      return;
    }
    const reregistered = id === this.id;
    if (this.id !== undefined && !reregistered)
      this.logger.warn('the master gave this agent a new ID', { old: this.id, new: id });
    this.id = id;
    try {
      await writeAgentId(this.o.workDir, id);
    } catch (err) {
      this.logger.error('cannot checkpoint the agent ID', { error: String(err) });
    }
    if (this.stopped) return;
    this.connected = true;
    this.link.registered(e.registered?.pingIntervalSeconds ?? 0);
    this.logger.info(reregistered ? 're-registered with the master' : 'registered with the master', {
      agentId: id,
      epoch: Number(e.epoch),
    });
    this.statusUpdates.connected();
    const waiters = this.registeredWaiters;
    this.registeredWaiters = [];
    for (const w of waiters) w(id);
  }

  private state(): Record<string, unknown> {
    return agentStateJson({
      id: this.id,
      hostname: this.o.hostname,
      ip: this.o.advertiseIp,
      port: this.http.port,
      master: this.o.master,
      connected: this.connected,
      resources: this.resources,
      attributes: this.o.attributes,
      isolation: this.isolator.name,
      workDir: this.o.workDir,
      startTime: this.startTime,
      tasks: this.book.tasks(),
      completedTasks: this.book.completed(),
      pendingUpdates: this.statusUpdates.pending().length,
    });
  }
}
