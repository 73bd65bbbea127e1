// What LocalCluster holds for each master and agent, whichever way it runs.
import type { SimulatedExecutorOptions } from './simulated-agent.js';

/** The options an agent of the cluster is started with. */
export interface AgentSpec {
  /** `--resources`; default `cpus:2;mem:2048;disk:4096;ports:[...]` with a port range of its own per agent. */
  resources?: string;
  /** `--attributes`, e.g. `rack:r1;zone:a`. */
  attributes?: string;
  /** Advertised hostname (default: the host's). */
  hostname?: string;
  /** Isolation (default `auto`). */
  isolation?: 'auto' | 'cgroups' | 'posix';
  /** Kill the agent's tasks when it stops cleanly (default true in a LocalCluster). */
  killTasksOnExit?: boolean;
  /**
   * The agent's principal and secret, for a master with
   * `masterOptions.authenticateAgents` (in `processes` mode written to a
   * `--credential` file of mode 0600 next to the agent's work dir).
   */
  credential?: { principal: string; secret: string };
  /** Run tasks as their user when the agent is root (`--switch_user`, default true; false runs all as root). */
  switchUser?: boolean;
  /**
   * The agent's TLS (`--tls-ca`, `--tls-cert`, `--tls-key`: PEM file paths).
   * In a cluster started with `tls`, the default is the cluster's CA and
   * certificate; `false` connects in plaintext, `{ ca }` alone connects
   * over TLS without a client certificate (and serves plain HTTP).
   */
  tls?: { ca?: string; cert?: string; key?: string } | false;
  /**
   * A simulated agent instead of a real one: a client of the master's agent
   * API in the test process that runs no process; each task goes
   * TASK_STARTING, TASK_RUNNING, then TASK_FINISHED after `runMs` (default
   * 1000) on the cluster's clock. `true` takes every default. Only
   * `resources`, `attributes`, `hostname` and `credential` apply to it.
   */
  simulated?: SimulatedExecutorOptions | boolean;
}

/** A running master. @internal */
export interface MasterHandle {
  readonly grpc: string;
  readonly http: string;
  readonly id: string;
  readonly pid: number | undefined;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A running, registered agent. @internal */
export interface AgentHandle {
  readonly agentId: string;
  readonly httpUrl: string;
  readonly pid: number | undefined;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** An agent of a {@link LocalCluster}, as tests see it. */
export interface ClusterAgent {
  /** Position in `cluster.agents`. */
  readonly index: number;
  /** The ID the master assigned. */
  readonly agentId: string;
  /** The agent's HTTP base URL (`/state`, `/files/*`). */
  readonly httpUrl: string;
  /** The agent's work dir (`meta/agent.id`, `sandboxes/`). */
  readonly workDir: string;
  /** The process ID in `processes` mode. */
  readonly pid: number | undefined;
  /** False once killed or stopped. */
  readonly running: boolean;
  /** True for a simulated agent (no HTTP server, no work dir, no processes). */
  readonly simulated: boolean;
}

/** The default resources of the agent at `index`: small, and ports that do not overlap other agents'. */
export function defaultAgentResources(index: number): string {
  const base = 31000 + index * 100;
  return `cpus:2;mem:2048;disk:4096;ports:[${base}-${base + 99}]`;
}
