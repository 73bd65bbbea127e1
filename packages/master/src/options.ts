// Master options and their defaults (Mesos' flag defaults where the concept is the same).
import { hostname as osHostname } from 'node:os';
import {
  createLogger,
  loadTls,
  servesTls,
  systemClock,
  TLS_FLAG_NAMES,
  TlsConfigError,
  ValidationError,
  type Clock,
  type CredentialsSpec,
  type Logger,
  type TlsMaterial,
  type TlsServerConfig,
} from '@mesocosm/protocol';
import { parseZkUrl } from '@mesocosm/protocol/zk';
import { resolveAuthOptions, type AuthConfig } from './auth/config.js';
import type { Registry } from './registry/registry.js';

/** How a {@link Master} is configured. Every field is optional. */
export interface MasterOptions {
  /** Bind address, default '0.0.0.0'. */
  ip?: string;
  /** Address put in MasterInfo; default `ip`, or 127.0.0.1 when `ip` is 0.0.0.0. */
  advertiseIp?: string;
  /** Hostname put in MasterInfo; default the host's name. */
  hostname?: string;
  /** HTTP port, default 5050; 0 picks a free port. */
  port?: number;
  /** gRPC port, default 5060; 0 picks a free port. */
  grpcPort?: number;
  /** Offers older than this are rescinded; default 60 000 ms; 0 = never. */
  offerTimeoutMs?: number;
  /** HEARTBEAT events to frameworks, default 15 000 ms. */
  heartbeatIntervalMs?: number;
  /** PING to agents, default 15 000 ms. */
  agentPingIntervalMs?: number;
  /** Missed pings after which an agent is unreachable, default 5. */
  maxAgentPingTimeouts?: number;
  /** Periodic allocation fallback, default 1 000 ms. */
  allocationIntervalMs?: number;
  /** Filter length when a DECLINE or ACCEPT gives none, default 5 s. */
  defaultRefuseSeconds?: number;
  /** DRF role weights (default 1 each). */
  roleWeights?: Record<string, number>;
  /** Time source, default the system clock. */
  clock?: Clock;
  /** Logger, default a stderr logger named `master`. */
  logger?: Logger;
  /**
   * Where admitted agents and framework infos are kept; default in memory
   * (standalone mode). The HA mode plugs a ZooKeeper registry in here.
   */
  registry?: Registry;
  /**
   * HA mode: `zk://host:port[,host:port...]/path`. The master contends for
   * leadership there and stands by (refusing streams and calls with
   * NOT_LEADER) until elected. Unset: standalone, always leading.
   */
  zk?: string;
  /** ZooKeeper session timeout in HA mode, default 10 000 ms (Mesos' `--zk_session_timeout`). */
  zkSessionTimeoutMs?: number;
  /**
   * After an election, how long agents admitted in the registry have to
   * re-register before they are removed for good (gone); default 600 000 ms
   * (Mesos' `--agent_reregister_timeout`, 10 mins). Frameworks from the
   * registry get at least as long to re-subscribe.
   */
  agentReregisterTimeoutMs?: number;
  /**
   * HA mode: called once when this master stops leading (deposed), or when
   * its candidacy ends (ZooKeeper session lost) so that it can never lead.
   * Every stream is closed already; the owner should exit, as Mesos' master
   * aborts. Default: log only (the master keeps refusing as a standby).
   */
  onDeposed?: (reason: string) => void;
  /**
   * TLS on both ports (`--tls-cert`, `--tls-key`, `--tls-ca`,
   * `--tls-require-client-cert`): PEM text or PEM file paths, read once at
   * start. `ca` verifies client certificates (with `requireClientCert`,
   * gRPC clients without one signed by it are refused) and the agents'
   * HTTPS when sandbox files are proxied. Default: plaintext.
   */
  tls?: TlsServerConfig;
  /**
   * Frameworks must authenticate with a principal and secret listed in
   * `credentials` (Mesos' `--authenticate_frameworks`). Default false.
   */
  authenticateFrameworks?: boolean;
  /** Agents must authenticate likewise (`--authenticate_agents`). Default false. */
  authenticateAgents?: boolean;
  /**
   * The operator endpoints (HTTP and the Operator gRPC service) need HTTP
   * basic credentials or a bearer token (`--authenticate_http`); `/health`,
   * `/master/redirect` and the UI's static files stay open. Default false.
   */
  authenticateHttp?: boolean;
  /**
   * Who may authenticate: principals with their secrets, and operators'
   * bearer tokens (`--credentials FILE`, read with `loadCredentialsFile`).
   * Given without any `authenticate*` flag, callers that present
   * credentials are still checked (and named for the ACLs).
   */
  credentials?: CredentialsSpec;
  /**
   * ACLs in Mesos' JSON shape (`--acls FILE`, read with `loadAclsFile`):
   * register_frameworks, run_tasks, teardown_frameworks, drain_agents,
   * view_frameworks, view_tasks, view_sandboxes, permissive. Default: none
   * (everything allowed).
   */
  acls?: Record<string, unknown>;
}

/** Options with every default filled in. @internal */
export interface ResolvedOptions {
  ip: string;
  advertiseIp: string;
  hostname: string;
  port: number;
  grpcPort: number;
  offerTimeoutMs: number;
  heartbeatIntervalMs: number;
  agentPingIntervalMs: number;
  maxAgentPingTimeouts: number;
  allocationIntervalMs: number;
  defaultRefuseSeconds: number;
  roleWeights: Record<string, number>;
  clock: Clock;
  logger: Logger;
  zk: string | undefined;
  zkSessionTimeoutMs: number;
  agentReregisterTimeoutMs: number;
  /** Checked TLS material, when TLS is on. */
  tls: (TlsMaterial & { cert: Buffer; key: Buffer }) | undefined;
  /** `https` with TLS, else `http`: the scheme of the URLs this master advertises. */
  httpScheme: 'http' | 'https';
  auth: AuthConfig;
}

function nonNegative(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new ValidationError(field, `must be a non-negative number, got ${v}`);
  return v;
}

function positive(value: number | undefined, fallback: number, field: string): number {
  const v = nonNegative(value, fallback, field);
  if (v === 0) throw new ValidationError(field, 'must be greater than 0');
  return v;
}

function port(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new ValidationError(field, `must be a TCP port or 0, got ${v}`);
  return v;
}

/** Checks a `zk://` URL early (parseZkUrl says what is wrong). */
function zkUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  parseZkUrl(value);
  return value;
}

/** The master serves TLS with a certificate and key: a CA alone is a mistake worth stopping for. */
function masterTls(tls: TlsMaterial | undefined): (TlsMaterial & { cert: Buffer; key: Buffer }) | undefined {
  if (tls === undefined) return undefined;
  if (!servesTls(tls))
    throw new TlsConfigError(
      TLS_FLAG_NAMES.cert,
      '',
      'incomplete',
      'and --tls-key are required for TLS: the master serves TLS with its own certificate (--tls-ca alone only verifies peers)',
    );
  return tls;
}

/** Fills in the defaults and checks the values. @internal */
export function resolveOptions(options: MasterOptions = {}): ResolvedOptions {
  const ip = options.ip ?? '0.0.0.0';
  const tls = options.tls ? loadTls(options.tls) : undefined;
  return {
    ip,
    advertiseIp: options.advertiseIp ?? (ip === '0.0.0.0' || ip === '::' ? '127.0.0.1' : ip),
    hostname: options.hostname ?? osHostname(),
    port: port(options.port, 5050, 'port'),
    grpcPort: port(options.grpcPort, 5060, 'grpcPort'),
    offerTimeoutMs: nonNegative(options.offerTimeoutMs, 60_000, 'offerTimeoutMs'),
    heartbeatIntervalMs: positive(options.heartbeatIntervalMs, 15_000, 'heartbeatIntervalMs'),
    agentPingIntervalMs: positive(options.agentPingIntervalMs, 15_000, 'agentPingIntervalMs'),
    maxAgentPingTimeouts: positive(options.maxAgentPingTimeouts, 5, 'maxAgentPingTimeouts'),
    allocationIntervalMs: positive(options.allocationIntervalMs, 1_000, 'allocationIntervalMs'),
    defaultRefuseSeconds: nonNegative(options.defaultRefuseSeconds, 5, 'defaultRefuseSeconds'),
    roleWeights: options.roleWeights ?? {},
    clock: options.clock ?? systemClock,
    logger: options.logger ?? createLogger('master'),
    zk: zkUrl(options.zk),
    zkSessionTimeoutMs: positive(options.zkSessionTimeoutMs, 10_000, 'zkSessionTimeoutMs'),
    agentReregisterTimeoutMs: positive(options.agentReregisterTimeoutMs, 600_000, 'agentReregisterTimeoutMs'),
    tls: masterTls(tls),
    httpScheme: servesTls(tls) ? 'https' : 'http',
    auth: resolveAuthOptions(options),
  };
}
