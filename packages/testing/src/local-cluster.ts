// LocalCluster: a real master and real agents on 127.0.0.1 and free ports,
// in this process or as child processes of the `mesocosm` CLI.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterState } from '@mesocosm/master';
import { silentLogger, type Logger } from '@mesocosm/protocol';
import { LocalClusterError } from './errors.js';
import { fetchJson } from './fetch-json.js';
import { startAgentInProcess, startMasterInProcess, type MasterStartOptions } from './in-process.js';
import {
  defaultAgentResources,
  type AgentHandle,
  type AgentSpec,
  type ClusterAgent,
  type MasterHandle,
} from './members.js';
import type { MemberHost } from './net/member-host.js';
import { defaultCliPath, startAgentProcess, startMasterProcess } from './processes.js';
import { waitFor } from './wait-for.js';

/** Options of {@link LocalCluster.start}. */
export interface LocalClusterOptions {
  /** How many agents (default 2), or one spec per agent. */
  agents?: number | AgentSpec[];
  /** `in-process` (default; fast) or `processes` (child processes of the CLI: kill -9 possible). */
  mode?: 'in-process' | 'processes';
  /** Options of the master (in `processes` mode, those that have a CLI flag). */
  masterOptions?: MasterStartOptions;
  /** Where agents get their work dirs (`agent-1`, ...); default a new temp dir, removed by `stop()`. */
  workDir?: string;
  /** Logger of in-process members (default silent). */
  logger?: Logger;
  /** The CLI entry point for `processes` mode (default: see `defaultCliPath`). */
  cliPath?: string;
  /** Environment of child processes (default this process's, with MESOCOSM_LOG=warn unless set). */
  env?: NodeJS.ProcessEnv;
  /**
   * `processes` mode only: where the master runs, binding and advertising
   * `ip` (e.g. `hosts.gateway` to serve agents in network hosts from the
   * root namespace, or a `NetworkHost`). Default 127.0.0.1, no wrapping.
   */
  masterHost?: MemberHost;
  /** `processes` mode only: where each agent runs (by index; e.g. a `NetworkHost` each). Default 127.0.0.1. */
  agentHosts?: readonly (MemberHost | undefined)[];
}

interface Member {
  spec: AgentSpec & { resources: string };
  workDir: string;
  /** The running agent, if any. */
  handle: AgentHandle | undefined;
  /** The last agent that ran here (its ID and URL stay known after a kill). */
  last: AgentHandle | undefined;
}

/**
 * A real cluster for tests: one master and N registered agents.
 *
 * @example
 * ```ts
 * const cluster = await LocalCluster.start({ agents: 2 });
 * try {
 *   const driver = new SchedulerDriver({ master: cluster.masterGrpc, framework: { name: 'mine' } });
 *   // ... run your framework against it
 * } finally {
 *   await cluster.stop();
 * }
 * ```
 */
export class LocalCluster {
  private stopped = false;

  private constructor(
    /** How the members run. */
    readonly mode: 'in-process' | 'processes',
    private readonly options: LocalClusterOptions,
    private master: MasterHandle | undefined,
    private readonly members: Member[],
    /** The directory holding the agents' work dirs. */
    readonly workDir: string,
    private readonly ownsWorkDir: boolean,
  ) {}

  /** Starts the master, then the agents, and resolves once every agent is registered. */
  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const mode = options.mode ?? 'in-process';
    if (mode === 'in-process' && (options.masterHost || options.agentHosts?.some((h) => h !== undefined)))
      throw new LocalClusterError("masterHost and agentHosts need mode 'processes': an in-process member cannot move");
    const specs: AgentSpec[] =
      typeof options.agents === 'object' ? options.agents : Array.from({ length: options.agents ?? 2 }, () => ({}));
    const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'mesocosm-cluster-')));
    const members: Member[] = specs.map((spec, i) => ({
      spec: { ...spec, resources: spec.resources ?? defaultAgentResources(i) },
      workDir: join(workDir, `agent-${i + 1}`),
      handle: undefined,
      last: undefined,
    }));
    const cluster = new LocalCluster(mode, options, undefined, members, workDir, options.workDir === undefined);
    try {
      cluster.master = await cluster.launchMaster();
      await Promise.all(members.map((_, i) => cluster.launchAgent(i)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** The master's gRPC address (`127.0.0.1:port`): `--master` for agents and frameworks. */
  get masterGrpc(): string {
    return this.requireMaster().grpc;
  }

  /** The master's HTTP base URL (`/master/state`, `/metrics/snapshot`, the UI). */
  get masterHttp(): string {
    return this.requireMaster().http;
  }

  /** The master's process ID in `processes` mode. */
  get masterPid(): number | undefined {
    return this.master?.pid;
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

  /**
   * Stops agent `i` with `signal` (default SIGKILL: its tasks keep running, as
   * after a crash). In `in-process` mode the agent is stopped cleanly whatever the signal.
   */
  async killAgent(i: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const m = this.members[i];
    if (!m) throw new LocalClusterError(`there is no agent ${i}: the cluster has ${this.members.length}`);
    const handle = m.handle;
    m.handle = undefined;
    await handle?.stop(signal);
  }

  /** Starts agent `i` again on its work dir (it re-registers with its checkpointed ID). */
  async restartAgent(i: number): Promise<ClusterAgent> {
    const m = this.members[i];
    if (!m) throw new LocalClusterError(`there is no agent ${i}: the cluster has ${this.members.length}`);
    if (m.handle) await this.killAgent(i, 'SIGTERM');
    await this.launchAgent(i);
    return this.agents[i]!;
  }

  /** Stops the master with `signal` (default SIGKILL; clean stop in `in-process` mode). */
  async killMaster(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const master = this.master;
    this.master = undefined;
    await master?.stop(signal);
  }

  /** Stops every agent, then the master, and removes the work dir if the cluster made it. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const errors: unknown[] = [];
    await Promise.all(
      this.members.map((_, i) => this.killAgent(i, 'SIGTERM').catch((err: unknown) => errors.push(err))),
    );
    await this.killMaster('SIGTERM').catch((err: unknown) => errors.push(err));
    if (this.ownsWorkDir) await rm(this.workDir, { recursive: true, force: true }).catch(() => undefined);
    if (errors.length > 0)
      throw new LocalClusterError(`stopping the cluster failed: ${String(errors[0])}`, { cause: errors[0] });
  }

  private requireMaster(): MasterHandle {
    if (!this.master) throw new LocalClusterError('the master is not running (killed or stopped)');
    return this.master;
  }

  private env(): NodeJS.ProcessEnv {
    const env = { ...(this.options.env ?? process.env) };
    env['MESOCOSM_LOG'] ??= 'warn';
    return env;
  }

  private async launchMaster(): Promise<MasterHandle> {
    const options = this.options.masterOptions ?? {};
    if (this.mode === 'in-process') return startMasterInProcess(options, this.options.logger ?? silentLogger);
    return startMasterProcess(this.options.cliPath ?? defaultCliPath(), options, this.env(), this.options.masterHost);
  }

  private async launchAgent(i: number): Promise<void> {
    const m = this.members[i]!;
    await mkdir(m.workDir, { recursive: true });
    const master = this.masterGrpc;
    m.handle = m.last =
      this.mode === 'in-process'
        ? await startAgentInProcess(master, m.spec, m.workDir, this.options.logger ?? silentLogger)
        : await startAgentProcess(
            this.options.cliPath ?? defaultCliPath(),
            master,
            m.spec,
            m.workDir,
            `agent ${i + 1}`,
            this.env(),
            this.options.agentHosts?.[i],
          );
  }
}
