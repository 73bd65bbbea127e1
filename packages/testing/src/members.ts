// What LocalCluster holds for each master and agent, whichever way it runs.

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
}

/** The default resources of the agent at `index`: small, and ports that do not overlap other agents'. */
export function defaultAgentResources(index: number): string {
  const base = 31000 + index * 100;
  return `cpus:2;mem:2048;disk:4096;ports:[${base}-${base + 99}]`;
}
