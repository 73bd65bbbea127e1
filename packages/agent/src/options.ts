// The agent's options, their defaults and their validation.
import os from 'node:os';
import { isZkUrl, parseZkUrl } from '@mesocosm/protocol/zk';
import { resolve } from 'node:path';
import {
  loadTls,
  parseAttributes,
  systemClock,
  type TlsMaterial,
  type Clock,
  type IAttribute,
  type Logger,
  createLogger,
} from '@mesocosm/protocol';
import type { Credential } from '@mesocosm/framework-sdk';
import { AgentOptionError } from './errors.js';

/** How to start an agent. Flags of `mesocosm agent` map one to one. */
export interface AgentOptions {
  /** The master's gRPC address, host:port (`--master`). */
  master: string;
  /** Where sandboxes and checkpoints live (`--work_dir`). */
  workDir: string;
  /** Bind address of the HTTP server (`--ip`), default `0.0.0.0`. */
  ip?: string;
  /** Address put in AgentInfo (`--advertise_ip`); default `ip`, or 127.0.0.1 when `ip` is 0.0.0.0. */
  advertiseIp?: string;
  /** Default `os.hostname()`. */
  hostname?: string;
  /** HTTP port (sandboxes, state), default 5051; 0 = a free port. */
  port?: number;
  /** Port of the executor API (gRPC, `--grpc_port`) custom executors connect to: default 5061, or 0 (a free port) when `port` is 0. */
  grpcPort?: number;
  /** A custom executor that has not subscribed after this long is killed and its tasks fail (default 60 s). */
  executorRegistrationTimeoutMs?: number;
  /**
   * After a restart (`recover: 'reconnect'`), a custom executor of the previous
   * run that has not subscribed again after this long is killed and its tasks
   * fail (`--executor_reregistration_timeout`, default 2 s, at most 15 s, as Mesos).
   */
  executorReregistrationTimeoutMs?: number;
  /** A custom executor told to SHUTDOWN is killed after this long (default 5 s). */
  executorShutdownGracePeriodMs?: number;
  /** e.g. `cpus:4;mem:8192;ports:[31000-32000]`; names not given come from the host. */
  resources?: string;
  /** e.g. `rack:r1;zone:a`. */
  attributes?: string;
  /** `auto` (default): cgroups when possible, else posix. */
  isolation?: 'auto' | 'cgroups' | 'posix';
  /**
   * What a restarted agent does with the tasks a previous run left (`--recover`):
   * `reconnect` (default) re-attaches to them and re-registers with the same ID;
   * `cleanup` kills them and registers as a new agent, as Mesos.
   */
  recover?: 'reconnect' | 'cleanup';
  /** `stop()` kills running tasks (default false: they survive, as after kill -9). */
  killTasksOnExit?: boolean;
  /** First resend of an unacknowledged status update, default 10 s, doubling up to 10 min. */
  statusUpdateRetryMs?: number;
  /** ZooKeeper session timeout for finding the master through a zk:// URL (Mesos' --zk_session_timeout; default 10 s). */
  zkSessionTimeoutMs?: number;
  /** Reconnect backoff base, default 1 s (doubling, max 30 s). */
  registrationBackoffMs?: number;
  /** SIGTERM -> SIGKILL delay, default 3 s (a task's KillPolicy overrides it). */
  defaultKillGracePeriodMs?: number;
  /** The Docker engine of Docker tasks (`--docker_socket`); default DOCKER_HOST, else /var/run/docker.sock. */
  docker?: { socketPath?: string };
  /** The fetcher fails a download larger than this (default 1 GiB). */
  fetcherMaxBytes?: number;
  /** The fetcher fails a download that receives nothing for this long (default 60 s). */
  fetcherStallTimeoutMs?: number;
  /**
   * TLS (`--tls-ca`, `--tls-cert`, `--tls-key`; PEM text or PEM file paths,
   * read once at start). `ca`: the master's certificate is verified against
   * it (the link to the master uses TLS when any of the three is given).
   * `cert` + `key`: the agent's HTTP API (sandbox files) serves HTTPS with
   * them, and they are the agent's client certificate for a master that
   * requires one. Default: plaintext.
   */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /**
   * The agent's principal and secret, for a master started with
   * `--authenticate_agents` (`--credential FILE`: JSON
   * `{"principal", "secret"}` or one line `principal secret`). Never logged.
   */
  credential?: Credential;
  /**
   * Run tasks and executors as their user (the task's or executor's
   * `CommandInfo.user`, else `FrameworkInfo.user`) when the agent runs as
   * root (Mesos' `--switch_user`): the sandbox is handed to that user; a
   * command task or custom executor drops to its uid, gid and groups (with
   * util-linux's `setpriv`), a Docker container runs as its `uid:gid`. A
   * user the host does not know fails the task; `root` (or no user) runs as
   * the agent. Default true, as Mesos; `false` runs everything as the
   * agent's user, whatever it asks. An agent not running as root always
   * runs everything as itself.
   */
  switchUser?: boolean;
  /**
   * Custom executors must present the token the agent gave them
   * (`MESOS_EXECUTOR_AUTHENTICATION_TOKEN`, sent by the SDK's executor
   * driver) to use the executor API (`--authenticate_http_executors`,
   * default true; false only for executors that cannot send it).
   */
  authenticateHttpExecutors?: boolean;
  clock?: Clock;
  logger?: Logger;
}

/** Options with every default filled in and strings parsed. @internal */
export interface ResolvedOptions {
  readonly master: string;
  readonly workDir: string;
  readonly ip: string;
  readonly advertiseIp: string;
  readonly hostname: string;
  readonly port: number;
  readonly grpcPort: number;
  readonly executorRegistrationTimeoutMs: number;
  readonly executorReregistrationTimeoutMs: number;
  readonly executorShutdownGracePeriodMs: number;
  readonly resourcesFlag: string | undefined;
  readonly attributes: IAttribute[];
  readonly isolation: 'auto' | 'cgroups' | 'posix';
  readonly killTasksOnExit: boolean;
  readonly recover: 'reconnect' | 'cleanup';
  readonly statusUpdateRetryMs: number;
  readonly zkSessionTimeoutMs: number | undefined;
  readonly statusUpdateMaxRetryMs: number;
  readonly registrationBackoffMs: number;
  readonly registrationBackoffMaxMs: number;
  readonly defaultKillGracePeriodMs: number;
  readonly docker: { readonly socketPath?: string };
  readonly fetcherMaxBytes: number;
  readonly fetcherStallTimeoutMs: number;
  /** Checked TLS material, when any was given. */
  readonly tls: TlsMaterial | undefined;
  readonly credential: Credential | undefined;
  readonly switchUser: boolean;
  readonly authenticateHttpExecutors: boolean;
  readonly clock: Clock;
  readonly logger: Logger;
}

function nonNegative(flag: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new AgentOptionError(flag, `must be a non-negative number, got ${value}`);
  return value;
}

/** Mesos' bound: the agent must be back with the master well before the master gives up on it. */
const MAX_EXECUTOR_REREGISTRATION_TIMEOUT_MS = 15_000;

function reregistrationTimeout(value: number | undefined): number {
  const ms = nonNegative('--executor_reregistration_timeout', value, 2_000);
  if (ms > MAX_EXECUTOR_REREGISTRATION_TIMEOUT_MS)
    throw new AgentOptionError(
      '--executor_reregistration_timeout',
      `must be at most ${MAX_EXECUTOR_REREGISTRATION_TIMEOUT_MS / 1000} s, got ${ms / 1000} s`,
    );
  return ms || 1;
}

function credential(c: Credential | undefined): Credential | undefined {
  if (c === undefined) return undefined;
  if (!c.principal || /[:\s]/.test(c.principal)) {
    throw new AgentOptionError(
      '--credential',
      `principal '${c.principal ?? ''}' must be non-empty, without ':' or white space`,
    );
  }
  if (!c.secret) throw new AgentOptionError('--credential', `principal '${c.principal}' has an empty secret`);
  return { principal: c.principal, secret: c.secret };
}

/** Fills defaults and validates. Throws {@link AgentOptionError} naming the bad flag. */
export function resolveOptions(o: AgentOptions): ResolvedOptions {
  if (isZkUrl(o.master ?? '')) {
    try {
      parseZkUrl(o.master);
    } catch (err) {
      throw new AgentOptionError('--master', err instanceof Error ? err.message : String(err));
    }
  } else if (!/^(\[[^\]]+\]|[^:\s[\]]+):\d+$/.test(o.master ?? ''))
    throw new AgentOptionError(
      '--master',
      `'${o.master}' is neither host:port of the master's gRPC API (e.g. 127.0.0.1:5060) nor a zk:// URL`,
    );
  if (!o.workDir) throw new AgentOptionError('--work_dir', 'is required (e.g. /var/lib/mesocosm)');
  const port = nonNegative('--port', o.port, 5051);
  if (!Number.isInteger(port) || port > 65535) throw new AgentOptionError('--port', `'${port}' is not a TCP port`);
  // With an ephemeral HTTP port (tests, several agents on one host) the executor API is ephemeral too.
  const grpcPort = nonNegative('--grpc_port', o.grpcPort, port === 0 ? 0 : 5061);
  if (!Number.isInteger(grpcPort) || grpcPort > 65535)
    throw new AgentOptionError('--grpc_port', `'${grpcPort}' is not a TCP port`);
  const isolation = o.isolation ?? 'auto';
  if (!['auto', 'cgroups', 'posix'].includes(isolation))
    throw new AgentOptionError('--isolation', `'${String(isolation)}' is not one of auto, cgroups, posix`);
  const recover = o.recover ?? 'reconnect';
  if (!['reconnect', 'cleanup'].includes(recover))
    throw new AgentOptionError('--recover', `'${String(recover)}' is not one of reconnect, cleanup`);
  let attributes: IAttribute[] = [];
  try {
    attributes = parseAttributes(o.attributes ?? '');
  } catch (err) {
    throw new AgentOptionError(
      '--attributes',
      `'${o.attributes ?? ''}' is not valid: ${err instanceof Error ? err.message : String(err)} (e.g. 'rack:r1;zone:a')`,
    );
  }
  const ip = o.ip ?? '0.0.0.0';
  return {
    master: o.master,
    workDir: resolve(o.workDir),
    ip,
    advertiseIp: o.advertiseIp ?? (ip === '0.0.0.0' ? '127.0.0.1' : ip),
    hostname: o.hostname ?? os.hostname(),
    port,
    grpcPort,
    executorRegistrationTimeoutMs: nonNegative(
      'executorRegistrationTimeoutMs',
      o.executorRegistrationTimeoutMs,
      60_000,
    ),
    executorReregistrationTimeoutMs: reregistrationTimeout(o.executorReregistrationTimeoutMs),
    executorShutdownGracePeriodMs: nonNegative('executorShutdownGracePeriodMs', o.executorShutdownGracePeriodMs, 5_000),
    resourcesFlag: o.resources,
    attributes,
    isolation,
    killTasksOnExit: o.killTasksOnExit ?? false,
    recover,
    statusUpdateRetryMs: nonNegative('statusUpdateRetryMs', o.statusUpdateRetryMs, 10_000) || 1,
    zkSessionTimeoutMs: o.zkSessionTimeoutMs,
    statusUpdateMaxRetryMs: 600_000,
    registrationBackoffMs: nonNegative('registrationBackoffMs', o.registrationBackoffMs, 1_000) || 1,
    registrationBackoffMaxMs: 30_000,
    defaultKillGracePeriodMs: nonNegative('defaultKillGracePeriodMs', o.defaultKillGracePeriodMs, 3_000),
    docker: o.docker?.socketPath ? { socketPath: resolve(o.docker.socketPath) } : {},
    fetcherMaxBytes: nonNegative('fetcherMaxBytes', o.fetcherMaxBytes, 1024 ** 3),
    fetcherStallTimeoutMs: nonNegative('fetcherStallTimeoutMs', o.fetcherStallTimeoutMs, 60_000) || 1,
    tls: o.tls && (o.tls.ca || o.tls.cert || o.tls.key) ? loadTls(o.tls) : undefined,
    credential: credential(o.credential),
    switchUser: o.switchUser ?? true,
    authenticateHttpExecutors: o.authenticateHttpExecutors ?? true,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? createLogger('agent'),
  };
}
