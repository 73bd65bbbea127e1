// `mesocosm marathon` and `mesocosm chronos`: their flags, with Marathon's and
// Chronos' own names, parsed into typed configs. Durations take Mesos' syntax
// (`1weeks`, `120secs`) or, as the originals do, a bare number in the
// original's unit (seconds for --failover_timeout, ms for the others).
import type { Command } from 'commander';
import { isZkUrl, parseZkUrl } from '@mesocosm/protocol/zk';
import { UsageError } from './errors.js';
import {
  parseDurationOr,
  parseIp,
  parseMasterAddress,
  parsePort,
  parsePositive,
  parseZkFlag,
  parseZkHosts,
} from './flags.js';
import { arg, optional, pick, type Raw } from './option-args.js';
import { addTlsOptions, withTls, type TlsFlags } from './tls-flags.js';
import { addFrameworkAuthOptions, frameworkAuthFlags } from './auth-flags.js';
import { addHttpAuthOptions, httpAuthFlags, type HttpAuthFlags } from './http-auth-flags.js';

/** Flags the two frameworks share, typed. */
export interface FrameworkFlags {
  /** The master: gRPC `host:port` or `zk://.../mesos`. */
  master: string;
  /** HA: elect among instances and keep state under this ZooKeeper URL. */
  zk?: string;
  /** Without `zk`: keep state in this directory (absent: in memory). */
  stateDir?: string;
  httpPort: number;
  /** Address the HTTP API binds (default 0.0.0.0). */
  httpAddress?: string;
  /** Advertised hostname (the leader's URL, FrameworkInfo.hostname). */
  hostname?: string;
  frameworkName: string;
  failoverTimeoutMs?: number;
  declineOfferDurationMs?: number;
  zkSessionTimeoutMs?: number;
  mesosRole?: string;
  mesosUser?: string;
  /** `--tls-ca` (verify the master), `--tls-cert` + `--tls-key` (HTTPS API, client certificate). */
  tls?: TlsFlags;
  /** `--mesos_authentication_principal` + `--mesos_authentication_secret_file`: the credential to the master. */
  mesosAuthentication?: { principal: string; secretFile: string };
  /** `--http_credentials`, `--http_credentials_file`, `--http_tokens_file`, `--http_acls`: the REST API's door. */
  httpAuth?: HttpAuthFlags;
}

/** Flags of `mesocosm marathon`, typed. */
export interface MarathonFlags extends FrameworkFlags {
  reconciliationIntervalMs?: number;
  minReviveOffersIntervalMs?: number;
}

/** Flags of `mesocosm chronos`, typed. */
export interface ChronosFlags extends FrameworkFlags {
  /** Defaults of jobs that do not say (Chronos' `--mesos_task_cpu`, `_mem`, `_disk`). */
  taskCpus?: number;
  taskMem?: number;
  taskDisk?: number;
  /** Chronos' `--task_epsilon`: how late a missed run may still start. */
  taskEpsilonMs?: number;
}

const SECOND = 1000;
const ms = arg(parseDurationOr(1, 'milliseconds'));
const seconds = arg(parseDurationOr(SECOND, 'seconds'));

function commonOptions(cmd: Command, name: string, port: number): Command {
  cmd
    .requiredOption(
      '--master <address>',
      'the master: its gRPC address (host:port) or ZooKeeper URL (zk://h1:2181,h2:2181/mesos)',
      arg(parseMasterAddress),
    )
    .option(
      '--zk <url>',
      `high availability: elect among instances and keep state in ZooKeeper, e.g. zk://h1:2181,h2:2181/${name}`,
      arg(parseZkFlag),
    )
    .option('--state_dir <dir>', 'without --zk: keep state in this directory (default: in memory, lost on exit)')
    .option('--http_port <port>', `HTTP port of the REST API (0 = any free port)`, arg(parsePort), port)
    .option('--http_address <ip>', 'address the REST API binds (default 0.0.0.0)', arg(parseIp))
    .option('--ip <ip>', 'alias of --http_address', arg(parseIp))
    .option(
      '--hostname <name>',
      "advertised hostname: the leader's URL for the other instances (default: this host's name)",
    )
    .option('--framework_name <name>', `framework name at the master (default ${name})`)
    .option(
      '--failover_timeout <duration>',
      'how long the master keeps the tasks of a framework without a leader, e.g. 1weeks, or seconds (default 1weeks)',
      seconds,
    )
    .option(
      '--decline_offer_duration <duration>',
      'filter on declined offers, e.g. 120secs, or milliseconds (default 120secs)',
      ms,
    )
    .option(
      '--zk_session_timeout <duration>',
      'ZooKeeper session timeout with --zk, e.g. 10secs, or milliseconds (default 10secs)',
      ms,
    )
    .option('--mesos_role <role>', 'the role to subscribe with (default *)')
    .option('--mesos_user <user>', 'the user tasks run as (default: this process user)');
  return addHttpAuthOptions(addFrameworkAuthOptions(addTlsOptions(cmd, 'framework')), name as 'marathon' | 'chronos');
}

/** The ZooKeeper URL of `--zk`, or of Chronos' `--zk_hosts` and `--zk_path`. */
function zkOf(raw: Raw): string | undefined {
  const zk = pick<string>(raw, 'zk');
  const hosts = pick<string>(raw, 'zk_hosts');
  const path = pick<string>(raw, 'zk_path');
  if (hosts === undefined) {
    if (path !== undefined) throw new UsageError('--zk_path', 'needs --zk_hosts (or give --zk zk://host:2181/path)');
    return zk;
  }
  if (zk !== undefined) throw new UsageError('--zk_hosts', 'give either --zk or --zk_hosts (with --zk_path), not both');
  const url = `zk://${hosts}${path ?? '/chronos'}`;
  try {
    parseZkUrl(url);
  } catch (err) {
    throw new UsageError('--zk_path', `${(err as Error).message}; e.g. --zk_path /chronos`);
  }
  return url;
}

/** The shared flags, checked together. @throws UsageError */
function frameworkFlags(raw: Raw, name: string, port: number): FrameworkFlags {
  const master = pick<string>(raw, 'master') ?? '';
  const zk = zkOf(raw);
  const stateDir = pick<string>(raw, 'state_dir');
  if (zk !== undefined && stateDir !== undefined) {
    throw new UsageError('--state_dir', 'is for a single instance without --zk; with --zk the state is in ZooKeeper');
  }
  if (zk !== undefined && isZkUrl(master) && parseZkUrl(zk).path === parseZkUrl(master).path) {
    throw new UsageError('--zk', `is the master's path: give ${name} its own, e.g. zk://.../${name}`);
  }
  return {
    master,
    zk,
    stateDir,
    httpPort: pick<number>(raw, 'http_port') ?? port,
    httpAddress: pick<string>(raw, 'http_address') ?? pick<string>(raw, 'ip'),
    hostname: pick(raw, 'hostname'),
    frameworkName: pick<string>(raw, 'framework_name') ?? pick<string>(raw, 'mesos_framework_name') ?? name,
    failoverTimeoutMs: pick(raw, 'failover_timeout'),
    declineOfferDurationMs: pick(raw, 'decline_offer_duration'),
    zkSessionTimeoutMs: pick<number>(raw, 'zk_session_timeout') ?? pick<number>(raw, 'zk_timeout'),
    mesosRole: pick(raw, 'mesos_role'),
    mesosUser: pick(raw, 'mesos_user'),
    ...withTls(raw),
    ...optional('mesosAuthentication', frameworkAuthFlags(raw)),
    ...httpAuthOf(raw),
  };
}

/** `{httpAuth}` when any REST API authentication flag was given (no key otherwise). */
function httpAuthOf(raw: Raw): { httpAuth?: HttpAuthFlags } {
  const httpAuth = httpAuthFlags(raw);
  return httpAuth === undefined ? {} : { httpAuth };
}

/** Adds `mesocosm marathon` to `program`. */
export function addMarathonCommand(program: Command, handler: (flags: MarathonFlags) => Promise<void>): void {
  commonOptions(
    program.command('marathon').description('run a Marathon instance (one of several with --zk)'),
    'marathon',
    8080,
  )
    .option(
      '--reconciliation_interval <duration>',
      'task reconciliation with the master, e.g. 10mins, or milliseconds (default 10mins)',
      ms,
    )
    .option(
      '--min_revive_offers_interval <duration>',
      'at most one REVIVE per this, e.g. 5secs, or milliseconds (default 5secs)',
      ms,
    )
    .action(async (raw: Raw) =>
      handler({
        ...frameworkFlags(raw, 'marathon', 8080),
        reconciliationIntervalMs: pick(raw, 'reconciliation_interval'),
        minReviveOffersIntervalMs: pick(raw, 'min_revive_offers_interval'),
      }),
    );
}

/** Adds `mesocosm chronos` to `program`. */
export function addChronosCommand(program: Command, handler: (flags: ChronosFlags) => Promise<void>): void {
  commonOptions(
    program.command('chronos').description('run a Chronos instance (one of several with --zk)'),
    'chronos',
    4400,
  )
    .option('--zk_hosts <hosts>', "Chronos' spelling of --zk: the servers, e.g. zk1:2181,zk2:2181", arg(parseZkHosts))
    .option('--zk_path <path>', 'with --zk_hosts: the znode path (default /chronos)')
    .option('--zk_timeout <ms>', "Chronos' spelling of --zk_session_timeout", ms)
    .option('--mesos_framework_name <name>', "Chronos' spelling of --framework_name")
    .option('--mesos_task_cpu <cpus>', 'cpus of a job that does not say (default 0.1)', arg(parsePositive))
    .option('--mesos_task_mem <MB>', 'memory of a job that does not say (default 128)', arg(parsePositive))
    .option('--mesos_task_disk <MB>', 'disk of a job that does not say (default 256)', arg(parsePositive))
    .option(
      '--task_epsilon <duration>',
      'how late a missed run may still start, for jobs that do not say, e.g. 60secs, or seconds (default 60secs)',
      seconds,
    )
    .action(async (raw: Raw) =>
      handler({
        ...frameworkFlags(raw, 'chronos', 4400),
        taskCpus: pick(raw, 'mesos_task_cpu'),
        taskMem: pick(raw, 'mesos_task_mem'),
        taskDisk: pick(raw, 'mesos_task_disk'),
        taskEpsilonMs: pick(raw, 'task_epsilon'),
      }),
    );
}
