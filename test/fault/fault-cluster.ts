// The cluster a fault test breaks: masters elected through a real ZooKeeper,
// agents and the recording framework, each a real process (so each can be
// killed with SIGKILL or stopped with SIGSTOP). Timeouts are scaled down
// (ZooKeeper session 1 s; agent pings 1 s x 5, longer than the session as
// Mesos requires, and slack for a loaded 2-core CI machine) so that faults settle in seconds.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterState } from '@mesocosm/master';
import { DaemonProcess, fetchJson, waitFor, type MemberHost, type NetworkHosts } from '@mesocosm/testing';
import { cliMain, repoRoot } from '../helpers/index.js';
import type { FaultFrameworkConfig } from './fixtures/recording-framework.js';
import { masterTasks } from './invariants.js';
import { LeaderSampler } from './leader-sampler.js';

const node = process.execPath;
const frameworkMain = join(repoRoot, 'test', 'lib', 'fault', 'fixtures', 'recording-framework.js');

/** The agent resources of a fault-test agent: room for many small tasks. */
export const FAULT_AGENT_RESOURCES = 'cpus:4;mem:2048;disk:1024;ports:[34000-34099]';

/** Options of {@link FaultCluster.start}. */
export interface FaultClusterOptions {
  /** ZooKeeper connect string (`host:port,...`); without it, one standalone master. */
  zkConnect?: string;
  masters?: number;
  agents?: number;
  /** Extra master flags (e.g. `--agent_reregister_timeout 5secs`). */
  masterFlags?: string[];
  /** Extra agent flags (e.g. a short status update retry). */
  agentFlags?: string[];
  /**
   * Separate hosts: the master binds the bridge's address, each agent runs
   * in a host of its own (named after it), so a partition is a real cut.
   */
  hosts?: NetworkHosts;
}

/** Per-agent options of {@link FaultCluster.startAgent}. */
export interface FaultAgentOptions {
  /** Recover from this work dir (a restart). */
  workDir?: string;
  /** The master address this agent dials (default: the cluster's), e.g. a proxy in front of it. */
  master?: string;
}

/** A master process with its name. */
export interface FaultMaster {
  readonly name: string;
  process: DaemonProcess;
}

/** An agent process with the work dir it recovers from. */
export interface FaultAgent {
  readonly name: string;
  readonly workDir: string;
  process: DaemonProcess;
}

/** Masters, agents and a framework as processes, for one fault test. */
export class FaultCluster {
  readonly masters: FaultMaster[] = [];
  readonly agents: FaultAgent[] = [];
  framework: DaemonProcess | undefined;
  readonly sampler: LeaderSampler;
  private readonly dirs: string[] = [];

  private constructor(
    private readonly zkUrl: string | undefined,
    private readonly options: FaultClusterOptions,
    /** Where the framework fixture keeps its ID and records. */
    readonly frameworkDir: string,
    /** The marker on every task's command line (finds their processes). */
    readonly marker: string,
  ) {
    this.sampler = new LeaderSampler(() => this.masters.map((m) => m.process));
  }

  /** Starts `masters` masters (waits for one leader) and `agents` agents, all following ZooKeeper. */
  static async start(options: FaultClusterOptions): Promise<FaultCluster> {
    const run = randomUUID().slice(0, 8);
    const frameworkDir = await mkdtemp(join(tmpdir(), 'mesocosm-fault-fw-'));
    const zkUrl = options.zkConnect === undefined ? undefined : `zk://${options.zkConnect}/mesocosm-fault-${run}`;
    const cluster = new FaultCluster(zkUrl, options, frameworkDir, `mc-fault-${run}`);
    cluster.dirs.push(frameworkDir);
    const masters = zkUrl === undefined ? 1 : (options.masters ?? 2);
    for (let i = 1; i <= masters; i++) await cluster.startMaster(`master ${i}`);
    await cluster.waitForLeader();
    for (let i = 1; i <= (options.agents ?? 2); i++) await cluster.startAgent(`agent ${i}`);
    cluster.sampler.start();
    return cluster;
  }

  /** What frameworks and agents dial: the zk:// URL, or the standalone master's gRPC address. */
  get masterUrl(): string {
    return this.zkUrl ?? this.masters[0]?.process.ready.grpc ?? '';
  }

  /** Starts a master (contending under the cluster's ZooKeeper path, unless standalone). */
  async startMaster(name: string): Promise<FaultMaster> {
    const ip = this.options.hosts?.gateway.ip ?? '127.0.0.1';
    const args = ['master', '--ip', ip, '--port', '0', '--grpc_port', '0', '--allocation_interval', '100ms'];
    if (this.zkUrl !== undefined) args.push('--zk', this.zkUrl, '--zk_session_timeout', '1secs');
    args.push('--agent_ping_timeout', '1secs', '--max_agent_ping_timeouts', '5', ...(this.options.masterFlags ?? []));
    const master = { name, process: await DaemonProcess.start(node, [cliMain, ...args], { name }) };
    this.masters.push(master);
    return master;
  }

  /** Starts an agent (a new work dir unless `workDir` is given: then it recovers from it). */
  async startAgent(name: string, options: FaultAgentOptions = {}): Promise<FaultAgent> {
    const dir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'mesocosm-fault-agent-')));
    if (!options.workDir) this.dirs.push(dir);
    const host = await this.hostFor(name);
    const args = ['agent', '--master', options.master ?? this.masterUrl, '--work_dir', dir, '--port', '0'];
    args.push('--ip', host?.ip ?? '127.0.0.1', '--grpc_port', '0', '--resources', FAULT_AGENT_RESOURCES);
    // Scaled down like the masters' (default 10 s): an agent's detector notices an expired session sooner.
    if (this.zkUrl !== undefined) args.push('--zk_session_timeout', '2secs');
    // posix: a network namespace sees no cgroup tree, and the tests compare like with like.
    args.push('--isolation', 'posix', ...(this.options.agentFlags ?? []));
    const proc = await DaemonProcess.start(node, [cliMain, ...args], { name, ...(host ? { wrap: host.wrap } : {}) });
    const existing = this.agents.find((a) => a.name === name);
    if (existing) {
      existing.process = proc;
      return existing;
    }
    const agent = { name, workDir: dir, process: proc };
    this.agents.push(agent);
    return agent;
  }

  /** Restarts a killed agent on its work dir (it recovers its tasks). */
  async restartAgent(agent: FaultAgent, options: Omit<FaultAgentOptions, 'workDir'> = {}): Promise<FaultAgent> {
    return this.startAgent(agent.name, { ...options, workDir: agent.workDir });
  }

  /** The network host an agent runs in (made on first use), when the cluster has hosts. */
  private async hostFor(name: string): Promise<MemberHost | undefined> {
    const hosts = this.options.hosts;
    if (!hosts) return undefined;
    const hostName = name.replace(/[^a-z0-9]/g, '');
    return hosts.hosts.find((h) => h.name === hostName) ?? (await hosts.add(hostName));
  }

  /** Starts (or restarts, with the same records and ID) the recording framework. */
  async startFramework(config: Omit<FaultFrameworkConfig, 'master' | 'dir' | 'marker'>): Promise<DaemonProcess> {
    const full: FaultFrameworkConfig = {
      ...config,
      master: this.masterUrl,
      dir: this.frameworkDir,
      marker: this.marker,
    };
    this.framework = await DaemonProcess.start(node, [frameworkMain], {
      name: 'framework',
      env: { ...process.env, MC_FAULT_FRAMEWORK: JSON.stringify(full) },
    });
    return this.framework;
  }

  /** The live masters' states (a dead one is left out). */
  async states(): Promise<{ master: FaultMaster; state: MasterState }[]> {
    const out: { master: FaultMaster; state: MasterState }[] = [];
    for (const master of this.masters) {
      if (!master.process.running) continue;
      try {
        out.push({ master, state: await stateOf(master.process) });
      } catch {
        // Not answering (stopped, or exiting): not a leader we can see.
      }
    }
    return out;
  }

  /** Waits until exactly one live master is elected; returns it and its state. */
  async waitForLeader(timeoutMs = 20_000): Promise<{ master: FaultMaster; state: MasterState }> {
    let found: { master: FaultMaster; state: MasterState } | undefined;
    await waitFor(
      async () => {
        const elected = (await this.states()).filter((s) => s.state.elected);
        found = elected.length === 1 ? elected[0] : undefined;
        return found !== undefined;
      },
      { timeoutMs, intervalMs: 50, message: 'exactly one elected master' },
    );
    if (!found) throw new Error('unreachable: waitFor resolved without a leader');
    return found;
  }

  /** Waits until the leader shows `n` tasks RUNNING (the framework's launches have landed). */
  async waitForRunning(n: number): Promise<void> {
    await waitFor(
      async () => {
        const { state } = await this.waitForLeader();
        return [...masterTasks(state).values()].filter((t) => t.state === 'TASK_RUNNING').length === n;
      },
      { timeoutMs: 60_000, intervalMs: 200, message: `${n} tasks RUNNING` },
    );
  }

  /** Stops everything and removes the work dirs. */
  async stop(): Promise<void> {
    this.sampler.stop();
    const procs = [...this.masters, ...this.agents].map((m) => m.process);
    if (this.framework) procs.push(this.framework);
    await Promise.all(procs.map((p) => p.kill('SIGKILL').catch(() => undefined)));
    // MC_FAULT_KEEP=1 keeps the work dirs and records for a post-mortem.
    if (process.env['MC_FAULT_KEEP'] === '1') console.log(`      kept: ${this.dirs.join(' ')}`);
    else await Promise.all(this.dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** GET /master/state of a master process. */
export const stateOf = (m: DaemonProcess): Promise<MasterState> =>
  // Bounded: a SIGSTOPped master accepts the connection and never answers.
  fetchJson<MasterState>(`${m.ready.http}/master/state`, { signal: AbortSignal.timeout(1000) });
