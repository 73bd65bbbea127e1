// LocalCluster: a real master (or several, elected through ZooKeeper) and
// real or simulated agents on 127.0.0.1 and free ports, in this process or
// as child processes of the `mesocosm` CLI.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterState } from '@mesocosm/master';
import { FakeClock, silentLogger, systemClock, type Clock } from '@mesocosm/protocol';
import { ClusterMasters, type ClusterMaster } from './cluster-masters.js';
import {
  readTasks,
  waitForTaskState,
  waitForTasksMatching,
  type ClusterTask,
  type WaitForTaskOptions,
} from './cluster-tasks.js';
import { LocalClusterError } from './errors.js';
import { checkOptions, portsOf, type LocalClusterOptions } from './local-cluster-options.js';
import { authorizeTestOrigin, fetchJson, trustTestCa } from './fetch-json.js';
import { generateTlsMaterial, givenTlsMaterial, type TlsFiles } from './tls-material.js';
import { startAgentInProcess, startMasterInProcess, type MasterStartOptions } from './in-process.js';
import {
  defaultAgentResources,
  type AgentHandle,
  type AgentSpec,
  type ClusterAgent,
  type MasterHandle,
} from './members.js';
import { defaultCliPath, startAgentProcess, startMasterProcess } from './processes.js';
import { SimulatedAgent, type SimulatedTask } from './simulated-agent.js';
import { waitFor } from './wait-for.js';

interface Member {
  spec: AgentSpec & { resources: string };
  workDir: string;
  /** The running agent, if any. */
  handle: AgentHandle | undefined;
  /** The last agent that ran here (its ID and URL stay known after a kill). */
  last: AgentHandle | undefined;
  /** A simulated agent keeps its object (its ID and tasks) across kills and restarts. */
  simulated: SimulatedAgent | undefined;
}

/**
 * A real cluster for tests: one master (or several in ZooKeeper) and N
 * registered agents, with helpers to wait for task states, lose agents and
 * fail the master over.
 *
 * @example
 * ```ts
 * const cluster = await LocalCluster.start({ agents: 2 });
 * try {
 *   const driver = new SchedulerDriver({ master: cluster.masterUrl, framework: { name: 'mine', user: 'nobody' } });
 *   // ... run your framework against it, then:
 *   await cluster.waitForTask('task-1', 'TASK_FINISHED');
 * } finally {
 *   await cluster.stop();
 * }
 * ```
 */
export class LocalCluster {
  private stopped = false;
  private tlsFiles: TlsFiles | undefined;
  private untrustCa: (() => void) | undefined;
  /** Undoes the test authorizations of the masters' origins (operatorCredential). */
  private readonly unauthorize: (() => void)[] = [];
  private readonly masterSet: ClusterMasters;

  private constructor(
    /** How the members run. */
    readonly mode: 'in-process' | 'processes',
    private readonly options: LocalClusterOptions,
    private readonly members: Member[],
    /** The directory holding the agents' work dirs. */
    readonly workDir: string,
    private readonly ownsWorkDir: boolean,
    /** The `zk://` URL the masters are elected under, when there is ZooKeeper. */
    readonly zkUrl: string | undefined,
    /** The cluster's time source (`options.clock`, or the system clock). */
    readonly clock: Clock,
  ) {
    this.masterSet = new ClusterMasters(options.masters ?? 1, zkUrl !== undefined, (i, last) =>
      this.launchMaster(i, last),
    );
  }

  /** Starts the master(s), then the agents, and resolves once every agent is registered. */
  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const mode = options.mode ?? 'in-process';
    const specs: AgentSpec[] =
      typeof options.agents === 'object' ? options.agents : Array.from({ length: options.agents ?? 2 }, () => ({}));
    checkOptions(mode, options, specs);
    const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'mesocosm-cluster-')));
    const members: Member[] = specs.map((spec, i) => ({
      spec: { ...spec, resources: spec.resources ?? defaultAgentResources(i) },
      workDir: join(workDir, `agent-${i + 1}`),
      handle: undefined,
      last: undefined,
      simulated: undefined,
    }));
    const zkUrl =
      options.zk === undefined ? undefined : `zk://${options.zk}/mesocosm-local-${randomUUID().slice(0, 8)}`;
    const clock = options.clock ?? systemClock;
    const cluster = new LocalCluster(mode, options, members, workDir, options.workDir === undefined, zkUrl, clock);
    try {
      if (options.tls) await cluster.makeTls(members);
      await cluster.masterSet.startAll(30_000);
      await Promise.all(members.map((_, i) => cluster.launchAgent(i)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /**
   * What frameworks and agents should be given as their master: the `zk://`
   * URL with ZooKeeper (they follow the leader through failovers), else the
   * master's gRPC address.
   */
  get masterUrl(): string {
    return this.zkUrl ?? this.masterGrpc;
  }

  /** The (leading) master's gRPC address (`127.0.0.1:port`). */
  get masterGrpc(): string {
    return this.masterSet.leader().grpc;
  }

  /** The (leading) master's HTTP base URL (`/master/state`, `/metrics/snapshot`, the UI). */
  get masterHttp(): string {
    return this.masterSet.leader().http;
  }

  /**
   * The throwaway TLS material of a cluster started with `tls` (undefined
   * otherwise): `caFile` (and `ca`, its PEM text) for frameworks' `tls.ca`,
   * `clientCertFile` + `clientKeyFile` for a client certificate.
   */
  get tls(): TlsFiles | undefined {
    return this.tlsFiles;
  }

  /** The (leading) master's process ID in `processes` mode. */
  get masterPid(): number | undefined {
    return this.masterSet.list().find((m) => m.leading)?.pid;
  }

  /** Every master, in start order (a killed one keeps its last addresses and pid). */
  get masters(): ClusterMaster[] {
    return this.masterSet.list();
  }

  /** The agents, in the order they were asked for (a killed agent keeps its last ID, URL and pid). */
  get agents(): ClusterAgent[] {
    return this.members.map((m, index) => ({
      index,
      agentId: m.last?.agentId ?? '',
      httpUrl: m.last?.httpUrl ?? '',
      workDir: m.workDir,
      pid: m.last?.pid,
      running: m.handle !== undefined,
      simulated: m.simulated !== undefined,
    }));
  }

  /** Resolves once the master's `/master/state` lists at least `n` active agents. */
  async waitForAgents(n: number, timeoutMs = 15_000): Promise<void> {
    await waitFor(
      async () => {
        const state = await fetchJson<Pick<MasterState, 'slaves'>>(`${this.masterHttp}/master/state`);
        return state.slaves.filter((a) => a.active).length >= n;
      },
      { timeoutMs, message: `${n} active agents in ${this.masterHttp}/master/state` },
    );
  }

  /** Every task of every framework, as the (leading) master's `/master/state` lists it now. */
  tasks(frameworkId?: string): Promise<ClusterTask[]> {
    return readTasks(this.masterHttp, frameworkId);
  }

  /**
   * Resolves with task `taskId` once the master shows it in `state` (or one
   * of `state`), e.g. `'TASK_FINISHED'`. Rejects at once with a
   * `TaskStateError` when it ended in another terminal state (with the
   * reason and message of its last status), and with a `WaitTimeoutError`
   * naming its last state after `timeoutMs` (default 30 s).
   */
  waitForTask(taskId: string, state: string | readonly string[], options?: WaitForTaskOptions): Promise<ClusterTask> {
    const states = typeof state === 'string' ? [state] : state;
    return waitForTaskState(() => this.masterHttp, taskId, states, options);
  }

  /**
   * Polls the master's tasks until `predicate` returns something other than
   * false, undefined or null, and resolves with it.
   *
   * @example
   * ```ts
   * await cluster.waitForTasks((ts) => ts.filter((t) => t.state === 'TASK_FINISHED').length === 3);
   * ```
   */
  waitForTasks<T>(
    predicate: (tasks: ClusterTask[]) => T | false | undefined | null,
    options?: WaitForTaskOptions & { message?: string },
  ): Promise<T> {
    return waitForTasksMatching(() => this.masterHttp, predicate, options);
  }

  /** What simulated agent `i` holds: its tasks and their states, as it reports them. */
  simulatedTasks(i: number): SimulatedTask[] {
    const sim = this.member(i).simulated;
    if (!sim) throw new LocalClusterError(`agent ${i} is a real agent: simulatedTasks() is for simulated ones`);
    return sim.taskList();
  }

  /**
   * Moves the cluster's fake clock forward by `ms` (see `options.clock`), in
   * steps of at most `stepMs` (default 1000) with a turn of the event loop
   * between them, so that pings and heartbeats are answered in between.
   */
  async advance(ms: number, stepMs = 1000): Promise<void> {
    const clock = this.clock;
    if (!(clock instanceof FakeClock)) {
      throw new LocalClusterError('advance() needs a fake clock: start the cluster with { clock: new TestClock() }');
    }
    for (let left = ms; left > 0; left -= stepMs) {
      clock.advance(Math.min(stepMs, left));
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /**
   * Stops agent `i` with `signal` (default SIGKILL: its tasks keep running, as
   * after a crash). In `in-process` mode a real agent is stopped cleanly whatever the signal.
   */
  async killAgent(i: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const m = this.member(i);
    const handle = m.handle;
    m.handle = undefined;
    await handle?.stop(signal);
  }

  /**
   * Loses agent `i` as a crash or a partition would: the agent goes away
   * without a word (SIGKILL in `processes` mode; a simulated agent drops its
   * stream) and this resolves once the master has marked it unreachable,
   * its tasks TASK_LOST (TASK_UNREACHABLE for PARTITION_AWARE frameworks).
   * That takes the master's `agentPingIntervalMs` x `maxAgentPingTimeouts`
   * (75 s by default: set them low in `masterOptions`); with a fake clock the
   * clock is advanced by that much.
   */
  async loseAgent(i: number, timeoutMs?: number): Promise<ClusterAgent> {
    const m = this.member(i);
    if (this.mode === 'in-process' && !m.simulated) {
      throw new LocalClusterError(
        `loseAgent(${i}): an in-process real agent can only stop cleanly, killing and reporting its tasks; ` +
          "use mode 'processes' or a simulated agent ({ simulated: {} })",
      );
    }
    const agentId = m.last?.agentId ?? '';
    await this.killAgent(i, 'SIGKILL');
    const mo = this.options.masterOptions ?? {};
    const graceMs = (mo.agentPingIntervalMs ?? 15_000) * (mo.maxAgentPingTimeouts ?? 5);
    const status = async (): Promise<string | undefined> => {
      const s = await fetchJson<Pick<MasterState, 'slaves'>>(`${this.masterHttp}/master/state`);
      return s.slaves.find((a) => a.id === agentId)?.status;
    };
    if (this.clock instanceof FakeClock) {
      // The grace period starts when the master sees the stream go: then let it pass.
      await waitFor(async () => (await status()) !== 'connected', { message: `agent ${agentId} disconnected` });
      await this.advance(graceMs + 1);
    }
    await waitFor(async () => (await status()) === 'unreachable', {
      timeoutMs: timeoutMs ?? graceMs + 15_000,
      message: `agent ${agentId} unreachable in /master/state`,
    });
    return this.agents[i]!;
  }

  /** Starts agent `i` again (a real one on its work dir, a simulated one with its tasks): it re-registers with its ID. */
  async restartAgent(i: number): Promise<ClusterAgent> {
    const m = this.member(i);
    if (m.handle) await this.killAgent(i, 'SIGTERM');
    await this.launchAgent(i);
    return this.agents[i]!;
  }

  /** Stops the (leading) master with `signal` (default SIGKILL; clean stop in `in-process` mode). */
  async killMaster(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const leader = this.masterSet.list().find((m) => m.leading);
    if (leader) await this.masterSet.kill(leader.index, signal);
  }

  /**
   * Master failover (needs `zk` and two masters or more): kills the leader
   * with `signal` (SIGKILL by default in `processes` mode; a clean stop,
   * which withdraws its candidacy at once, in `in-process` mode) and
   * resolves with the master elected next. Frameworks and agents given
   * {@link masterUrl} follow it. The killed master can come back as a
   * standby with {@link restartMaster}.
   */
  failover(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 30_000): Promise<ClusterMaster> {
    return this.masterSet.failover(signal, timeoutMs);
  }

  /**
   * Starts master `i` again on the ports it had, so that agents and
   * frameworks find it where it was. Standalone, it leads at once (with an
   * empty memory: agents re-register, frameworks re-subscribe); with
   * ZooKeeper it contends again, as a standby while another leads.
   */
  async restartMaster(i: number): Promise<ClusterMaster> {
    await this.masterSet.start(i);
    if (this.zkUrl === undefined) return this.masterSet.waitForLeader(30_000);
    return this.masters[i]!;
  }

  /** Waits until exactly one running master leads, and makes it the one `masterGrpc`/`masterHttp` name. */
  waitForLeader(timeoutMs = 30_000): Promise<ClusterMaster> {
    return this.masterSet.waitForLeader(timeoutMs);
  }

  /** Stops every agent, then the masters, and removes the work dir if the cluster made it. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const errors: unknown[] = [];
    await Promise.all(
      this.members.map((_, i) => this.killAgent(i, 'SIGTERM').catch((err: unknown) => errors.push(err))),
    );
    await this.masterSet.stopAll(errors);
    this.untrustCa?.();
    for (const undo of this.unauthorize.splice(0)) undo();
    if (this.ownsWorkDir) await rm(this.workDir, { recursive: true, force: true }).catch(() => undefined);
    if (errors.length > 0)
      throw new LocalClusterError(`stopping the cluster failed: ${String(errors[0])}`, { cause: errors[0] });
  }

  /**
   * Makes the cluster's CA and certificates (or takes `tls.material`), and
   * gives each agent that does not say otherwise its TLS.
   */
  private async makeTls(members: Member[]): Promise<void> {
    const given = typeof this.options.tls === 'object' ? this.options.tls.material : undefined;
    const files = given ? await givenTlsMaterial(given) : await generateTlsMaterial(join(this.workDir, 'tls'));
    this.tlsFiles = files;
    this.untrustCa = trustTestCa(files.ca);
    for (const m of members) {
      if (m.spec.tls === undefined) m.spec.tls = { ca: files.caFile, cert: files.certFile, key: files.keyFile };
      else if (m.spec.tls === false) delete m.spec.tls;
    }
  }

  private member(i: number): Member {
    const m = this.members[i];
    if (!m) throw new LocalClusterError(`there is no agent ${i}: the cluster has ${this.members.length}`);
    return m;
  }

  private env(): NodeJS.ProcessEnv {
    const env = { ...(this.options.env ?? process.env) };
    env['MESOCOSM_LOG'] ??= 'warn';
    return env;
  }

  private zkOptions(): Pick<MasterStartOptions, 'zk' | 'zkSessionTimeoutMs'> {
    if (this.zkUrl === undefined) return {};
    return { zk: this.zkUrl, zkSessionTimeoutMs: this.options.zkSessionTimeoutMs ?? 2_000 };
  }

  private async launchMaster(i: number, last: MasterHandle | undefined): Promise<MasterHandle> {
    const options: MasterStartOptions = { ...this.options.masterOptions, ...this.zkOptions(), ...portsOf(last) };
    const tls = this.tlsFiles;
    if (tls && options.tls === undefined) {
      const mutual = typeof this.options.tls === 'object' && this.options.tls.requireClientCert === true;
      options.tls = { cert: tls.certFile, key: tls.keyFile, ca: tls.caFile, requireClientCert: mutual };
    }
    if (this.options.clock) options.clock = this.options.clock;
    const logger = this.options.logger ?? silentLogger;
    const handle =
      this.mode === 'in-process'
        ? await startMasterInProcess(options, logger.child(`master-${i + 1}`))
        : await this.startMasterProcess(options);
    const credential = this.options.operatorCredential;
    if (credential) {
      const token = Buffer.from(`${credential.principal}:${credential.secret}`, 'utf8').toString('base64');
      this.unauthorize.push(authorizeTestOrigin(handle.http, `Basic ${token}`));
    }
    return handle;
  }

  private startMasterProcess(options: MasterStartOptions): Promise<MasterHandle> {
    return startMasterProcess(
      this.options.cliPath ?? defaultCliPath(),
      options,
      this.env(),
      this.options.masterHost,
      this.workDir,
    );
  }

  private async launchAgent(i: number): Promise<void> {
    const m = this.member(i);
    const logger = this.options.logger ?? silentLogger;
    if (m.spec.simulated) {
      const behaviour = m.spec.simulated === true ? {} : m.spec.simulated;
      m.simulated ??= new SimulatedAgent(this.masterGrpc, m.spec, behaviour, this.clock, logger.child('sim-agent'));
      m.handle = m.last = await m.simulated.start();
      return;
    }
    await mkdir(m.workDir, { recursive: true });
    const zkTimeout = this.zkUrl === undefined ? undefined : (this.options.zkSessionTimeoutMs ?? 2_000);
    m.handle = m.last =
      this.mode === 'in-process'
        ? await startAgentInProcess(this.masterUrl, m.spec, m.workDir, logger, zkTimeout)
        : await startAgentProcess(
            this.options.cliPath ?? defaultCliPath(),
            this.masterUrl,
            m.spec,
            m.workDir,
            `agent ${i + 1}`,
            this.env(),
            this.options.agentHosts?.[i],
            zkTimeout,
          );
  }
}
