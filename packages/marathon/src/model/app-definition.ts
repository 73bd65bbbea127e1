// The typed, normalised Marathon app: every default filled, ids absolute,
// legacy shapes (`ports`, `uris`, `container.docker.network`) folded into the
// canonical ones. Produced by parseApp, rendered back by renderApp.

import type { Constraint } from './constraint.js';

/** How tasks are networked: the host's stack, a Docker bridge, or a named (CNI/user) network. */
export type NetworkMode = 'HOST' | 'BRIDGE' | 'USER';

/** Transport of a port: Marathon's `tcp`, `udp` or `udp,tcp`. */
export type PortProtocol = 'tcp' | 'udp' | 'udp,tcp';

/** A host port the app asks for (host networking). `port` 0 means any port from the offer. */
export interface PortDefinition {
  readonly port: number;
  readonly protocol: PortProtocol;
  readonly name?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A container port mapped to a host port (bridge or user networking). `hostPort` 0 means any. */
export interface PortMapping {
  readonly containerPort: number;
  /** Absent under USER networking when no host port is wanted. */
  readonly hostPort?: number;
  readonly servicePort: number;
  readonly protocol: PortProtocol;
  readonly name?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A volume: a host path mounted into the container, or a persistent local volume of `size` MB. */
export interface Volume {
  readonly containerPath: string;
  readonly hostPath?: string;
  readonly mode: 'RO' | 'RW';
  readonly persistent?: { readonly size: number };
}

/** The Docker image part of a container. */
export interface DockerSpec {
  readonly image: string;
  readonly forcePullImage: boolean;
  readonly privileged: boolean;
  readonly parameters: readonly { readonly key: string; readonly value: string }[];
}

/** The app's container: Docker (docker engine) or Mesos (optionally with a Docker image). */
export interface ContainerSpec {
  readonly type: 'DOCKER' | 'MESOS';
  readonly docker?: DockerSpec;
  readonly portMappings: readonly PortMapping[];
  readonly volumes: readonly Volume[];
}

/** A URI fetched into the sandbox before the task starts. */
export interface FetchUri {
  readonly uri: string;
  readonly extract: boolean;
  readonly executable: boolean;
  readonly cache: boolean;
  readonly outputFile?: string;
}

/** The protocols of Marathon health checks. */
export const HEALTH_CHECK_PROTOCOLS = [
  'HTTP',
  'HTTPS',
  'TCP',
  'COMMAND',
  'MESOS_HTTP',
  'MESOS_HTTPS',
  'MESOS_TCP',
] as const;

/** A health check protocol. */
export type HealthCheckProtocol = (typeof HEALTH_CHECK_PROTOCOLS)[number];

/** A health check with Marathon's defaults filled. */
export interface HealthCheck {
  readonly protocol: HealthCheckProtocol;
  /** HTTP(S) path; `/` by default for HTTP protocols. */
  readonly path?: string;
  /** Index into the app's port mappings (or port definitions). */
  readonly portIndex?: number;
  /** A fixed port, instead of `portIndex`. */
  readonly port?: number;
  /** The command of a COMMAND check. */
  readonly command?: { readonly value: string };
  readonly gracePeriodSeconds: number;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly maxConsecutiveFailures: number;
  readonly delaySeconds: number;
  readonly ignoreHttp1xx: boolean;
}

/** A readiness check: a new task counts toward a deployment only once it answers ready. */
export interface ReadinessCheck {
  readonly name: string;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly path: string;
  readonly portName: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly httpStatusCodesForReady: readonly number[];
  readonly preserveLastResponse: boolean;
}

/** How many tasks a rolling upgrade keeps up (fraction of instances) and may add on top. */
export interface UpgradeStrategy {
  readonly minimumHealthCapacity: number;
  readonly maximumOverCapacity: number;
}

/** When an unreachable task is replaced (inactive) and forgotten (expunged); or never. */
export type UnreachableStrategy =
  { readonly inactiveAfterSeconds: number; readonly expungeAfterSeconds: number } | 'disabled';

/** Which tasks go first when scaling down. */
export type KillSelection = 'YOUNGEST_FIRST' | 'OLDEST_FIRST';

/** When the app's definition last changed, and when only its instance count did. */
export interface VersionInfo {
  readonly lastScalingAt: string;
  readonly lastConfigChangeAt: string;
}

/** A Marathon app, normalised. */
export interface AppDefinition {
  /** Absolute path id, e.g. `/prod/web`. */
  readonly id: string;
  readonly instances: number;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  readonly cmd?: string;
  readonly args?: readonly string[];
  readonly user?: string;
  readonly container?: ContainerSpec;
  readonly network: NetworkMode;
  /** The named network of USER networking. */
  readonly networkName?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly fetch: readonly FetchUri[];
  /** Host ports (HOST networking only; empty otherwise). */
  readonly portDefinitions: readonly PortDefinition[];
  readonly requirePorts: boolean;
  readonly constraints: readonly Constraint[];
  readonly acceptedResourceRoles?: readonly string[];
  readonly healthChecks: readonly HealthCheck[];
  readonly readinessChecks: readonly ReadinessCheck[];
  readonly upgradeStrategy: UpgradeStrategy;
  readonly backoffSeconds: number;
  readonly backoffFactor: number;
  readonly maxLaunchDelaySeconds: number;
  readonly killSelection: KillSelection;
  readonly unreachableStrategy: UnreachableStrategy;
  readonly taskKillGracePeriodSeconds?: number;
  /** Absolute ids of apps or groups this app depends on. */
  readonly dependencies: readonly string[];
  /** Set by {@link stampVersion}: an ISO-8601 timestamp per change. */
  readonly version?: string;
  readonly versionInfo?: VersionInfo;
  /** Fields Marathon knows and we do not model (or a client's own): kept and rendered back. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Marathon's defaults for app fields. */
export const APP_DEFAULTS = {
  instances: 1,
  cpus: 1,
  mem: 128,
  disk: 0,
  gpus: 0,
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 300,
  killSelection: 'YOUNGEST_FIRST' as KillSelection,
  requirePorts: false,
  upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 } as UpgradeStrategy,
  /** Marathon 1.5+ default: replace and expunge unreachable tasks at once. */
  unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 } as UnreachableStrategy,
} as const;

/** Marathon's health check defaults. */
export const HEALTH_CHECK_DEFAULTS = {
  gracePeriodSeconds: 300,
  intervalSeconds: 60,
  timeoutSeconds: 20,
  maxConsecutiveFailures: 3,
  delaySeconds: 15,
  portIndex: 0,
  path: '/',
} as const;

/** Marathon's readiness check defaults. */
export const READINESS_CHECK_DEFAULTS = {
  name: 'readinessCheck',
  protocol: 'HTTP',
  path: '/',
  portName: 'http-api',
  intervalSeconds: 30,
  timeoutSeconds: 10,
  httpStatusCodesForReady: [200],
  preserveLastResponse: false,
} as const;
