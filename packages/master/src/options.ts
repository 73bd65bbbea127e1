// Master options and their defaults (Mesos' flag defaults where the concept is the same).
import { hostname as osHostname } from 'node:os';
import { createLogger, systemClock, ValidationError, type Clock, type Logger } from '@mesocosm/protocol';
import { parseZkUrl } from '@mesocosm/protocol/zk';
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

/** Fills in the defaults and checks the values. @internal */
export function resolveOptions(options: MasterOptions = {}): ResolvedOptions {
  const ip = options.ip ?? '0.0.0.0';
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
  };
}
