// The `mesocosm` command line: flags with Mesos' names, parsed into typed
// configs and handed to the handlers (which start daemons). Building the
// program is pure apart from commander's output, so tests parse argv without
// starting anything.
import { Command, Option, type OutputConfiguration } from 'commander';
import { parseDuration } from './duration.js';
import {
  parseAttributesFlag,
  parseBoolean,
  parseCount,
  parseMasterAddress,
  parseIp,
  parseIsolation,
  parseRecover,
  parsePort,
  parseResourcesFlag,
  parseWeights,
  parseZkFlag,
  type Isolation,
} from './flags.js';
import { addExampleCommand, runExampleCommand, type ExampleFlags } from './commands/example.js';
import { localTlsFlags, type LocalTls } from './commands/local-tls.js';
import { addChronosCommand, addMarathonCommand, type ChronosFlags, type MarathonFlags } from './framework-commands.js';
import { addOperatorCommands } from './operator-commands.js';
import { processIo, type OperatorIo } from './operator-io.js';
import { arg, optional, pick, type Raw } from './option-args.js';
import { addTlsOptions, withTls, type TlsFlags } from './tls-flags.js';
import {
  addAgentAuthOptions,
  addMasterAuthOptions,
  agentAuthFlags,
  masterAuthFlags,
  type MasterAuthFlags,
} from './auth-flags.js';

/** Flags of `mesocosm master`, typed. */
export interface MasterFlags {
  ip?: string;
  advertiseIp?: string;
  hostname?: string;
  port: number;
  grpcPort: number;
  offerTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  agentPingTimeoutMs?: number;
  maxAgentPingTimeouts?: number;
  allocationIntervalMs?: number;
  weights?: Record<string, number>;
  /** HA: the ZooKeeper URL to contend for leadership under. */
  zk?: string;
  zkSessionTimeoutMs?: number;
  /** After an election: how long registered agents have to re-register before they are gone. */
  agentReregisterTimeoutMs?: number;
  /** `--tls-cert`, `--tls-key`, `--tls-ca`, `--tls-require-client-cert`. */
  tls?: TlsFlags;
  /** `--authenticate_*`, `--credentials FILE`, `--acls FILE`. */
  auth?: MasterAuthFlags;
}

/** Flags of `mesocosm agent`, typed. */
export interface AgentFlags {
  master: string;
  workDir: string;
  ip?: string;
  advertiseIp?: string;
  hostname?: string;
  port: number;
  resources?: string;
  attributes?: string;
  isolation?: Isolation;
  killTasksOnExit?: boolean;
  /** Unset: 5061, or a free port when `port` is 0 (the agent decides). */
  grpcPort?: number;
  dockerSocket?: string;
  executorRegistrationTimeoutMs?: number;
  executorReregistrationTimeoutMs?: number;
  statusUpdateRetryMs?: number;
  zkSessionTimeoutMs?: number;
  recover?: 'reconnect' | 'cleanup';
  /** `--tls-ca` (verify the master), `--tls-cert` + `--tls-key` (HTTPS, client certificate). */
  tls?: TlsFlags;
  /** `--credential FILE`: the agent's principal and secret. */
  credential?: string;
  /** `--switch_user`: run tasks and executors as their user when root (agent default true). */
  switchUser?: boolean;
  /** `--authenticate_http_executors` (default true): executors must present their token. */
  authenticateHttpExecutors?: boolean;
}

/** Flags of `mesocosm local`, typed. */
export interface LocalFlags {
  agents: number;
  port: number;
  grpcPort: number;
  workDir?: string;
  examples: boolean;
  tasks: number;
  /** Run a Marathon beside the cluster (`--no-marathon`: not). */
  marathon: boolean;
  /** Marathon's HTTP port (default 8080; 0 = any free port). */
  marathonPort: number;
  /** Run a Chronos beside the cluster (`--no-chronos`: not). */
  chronos: boolean;
  /** Chronos' HTTP port (default 4400; 0 = any free port). */
  chronosPort: number;
  /** `--tls` (a throwaway CA), or `--tls-cert` + `--tls-key` + `--tls-ca`; absent: plaintext. */
  tls?: LocalTls;
}

/** What each command does once its flags are parsed. */
export interface CommandHandlers {
  master(flags: MasterFlags): Promise<void>;
  agent(flags: AgentFlags): Promise<void>;
  local(flags: LocalFlags): Promise<void>;
  marathon(flags: MarathonFlags): Promise<void>;
  chronos(flags: ChronosFlags): Promise<void>;
  /** Default: run the example as a child process (`runExampleCommand`). */
  example?(flags: ExampleFlags): Promise<void>;
}

export type { MarathonFlags, ChronosFlags, ExampleFlags };

const duration = arg(parseDuration);

/** Maps commander's option record to {@link MasterFlags}. */
function masterFlags(raw: Raw): MasterFlags {
  const weights = pick<Record<string, number>>(raw, 'weights') ?? pick<Record<string, number>>(raw, 'roles_weights');
  return {
    ip: pick(raw, 'ip'),
    advertiseIp: pick(raw, 'advertise_ip'),
    hostname: pick(raw, 'hostname'),
    port: pick<number>(raw, 'port') ?? 5050,
    grpcPort: pick<number>(raw, 'grpc_port') ?? 5060,
    offerTimeoutMs: pick(raw, 'offer_timeout'),
    heartbeatIntervalMs: pick(raw, 'heartbeat_interval'),
    agentPingTimeoutMs: pick(raw, 'agent_ping_timeout'),
    maxAgentPingTimeouts: pick(raw, 'max_agent_ping_timeouts'),
    allocationIntervalMs: pick(raw, 'allocation_interval'),
    weights,
    zk: pick(raw, 'zk'),
    zkSessionTimeoutMs: pick(raw, 'zk_session_timeout'),
    agentReregisterTimeoutMs: pick(raw, 'agent_reregister_timeout'),
    ...withTls(raw),
    ...optional('auth', masterAuthFlags(raw)),
  };
}

function agentFlags(raw: Raw): AgentFlags {
  return {
    master: pick<string>(raw, 'master') ?? '127.0.0.1:5060',
    workDir: pick<string>(raw, 'work_dir') ?? '',
    ip: pick(raw, 'ip'),
    advertiseIp: pick(raw, 'advertise_ip'),
    hostname: pick(raw, 'hostname'),
    port: pick<number>(raw, 'port') ?? 5051,
    resources: pick(raw, 'resources'),
    attributes: pick(raw, 'attributes'),
    isolation: pick(raw, 'isolation'),
    killTasksOnExit: pick(raw, 'kill_tasks_on_exit'),
    grpcPort: pick<number>(raw, 'grpc_port'),
    dockerSocket: pick(raw, 'docker_socket'),
    executorRegistrationTimeoutMs: pick(raw, 'executor_registration_timeout'),
    executorReregistrationTimeoutMs: pick(raw, 'executor_reregistration_timeout'),
    statusUpdateRetryMs: pick(raw, 'status_update_retry_interval'),
    zkSessionTimeoutMs: pick(raw, 'zk_session_timeout'),
    recover: pick(raw, 'recover'),
    ...withTls(raw),
    ...agentAuthFlags(raw),
  };
}

function localFlags(raw: Raw): LocalFlags {
  return {
    agents: pick<number>(raw, 'agents') ?? 2,
    port: pick<number>(raw, 'port') ?? 5050,
    grpcPort: pick<number>(raw, 'grpc_port') ?? 5060,
    workDir: pick(raw, 'work_dir'),
    examples: pick<boolean>(raw, 'examples') ?? true,
    tasks: pick<number>(raw, 'tasks') ?? 4,
    marathon: pick<boolean>(raw, 'marathon') ?? true,
    marathonPort: pick<number>(raw, 'marathon_port') ?? 8080,
    chronos: pick<boolean>(raw, 'chronos') ?? true,
    chronosPort: pick<number>(raw, 'chronos_port') ?? 4400,
    ...optional('tls', localTlsFlags(raw)),
  };
}

function addressOptions(cmd: Command): Command {
  return cmd
    .option('--ip <ip>', 'IP address to listen on', arg(parseIp))
    .option('--advertise_ip <ip>', 'IP address advertised to others (e.g. behind NAT)', arg(parseIp))
    .option('--hostname <name>', 'hostname advertised to others');
}

/**
 * Builds the `mesocosm` program; `handlers` run once a command's flags are
 * valid. The operator verbs (agents, tasks, logs, drain, ...) talk to a
 * master through `io` (default: this process's). Commander throws
 * (exitOverride) instead of exiting: see {@link runCli}.
 */
export function buildProgram(handlers: CommandHandlers, output?: OutputConfiguration, io?: OperatorIo): Command {
  const program = new Command('mesocosm')
    .description('Mesocosm: a two-level, resource-offer cluster manager')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  if (output) program.configureOutput(output);

  const master = addressOptions(
    program.command('master').description('run a master (standalone, or one of several with --zk)'),
  )
    .option('--port <port>', 'HTTP port: operator API and UI (0 = any free port)', arg(parsePort), 5050)
    .option('--grpc_port <port>', 'gRPC port: scheduler, agent and operator APIs (0 = any)', arg(parsePort), 5060)
    .option('--offer_timeout <duration>', 'rescind offers not answered within this (e.g. 30secs)', duration)
    .option('--heartbeat_interval <duration>', 'interval of HEARTBEAT events to frameworks (default 15secs)', duration)
    .option('--agent_ping_timeout <duration>', 'interval and timeout of the pings to agents (e.g. 15secs)', duration)
    .option(
      '--max_agent_ping_timeouts <n>',
      'missed pings before an agent is unreachable',
      arg((t) => parseCount(t, 1)),
    )
    .option('--allocation_interval <duration>', 'interval between batch allocations (e.g. 1secs)', duration)
    .option('--weights <role=weight,...>', 'DRF weights of roles, e.g. prod=2,dev=1', arg(parseWeights))
    .addOption(new Option('--roles_weights <role=weight,...>', 'alias of --weights').argParser(arg(parseWeights)))
    .option(
      '--zk <url>',
      'high availability: contend for leadership in ZooKeeper, e.g. zk://h1:2181,h2:2181/mesos',
      arg(parseZkFlag),
    )
    .option('--zk_session_timeout <duration>', 'ZooKeeper session timeout with --zk (default 10secs)', duration)
    .option(
      '--agent_reregister_timeout <duration>',
      'after an election, agents in the registry that have not re-registered within this are removed for good (default 10mins)',
      duration,
    )
    .action(async (raw: Raw) => handlers.master(masterFlags(raw)));
  addTlsOptions(master, 'master');
  addMasterAuthOptions(master);

  const agent = addressOptions(program.command('agent').description('run an agent that registers with a master'))
    .requiredOption('--work_dir <dir>', 'directory for the agent ID checkpoint and task sandboxes')
    .option(
      '--master <address>',
      'the master: its gRPC address (host:port) or a ZooKeeper URL (zk://host:2181/mesos)',
      arg(parseMasterAddress),
      '127.0.0.1:5060',
    )
    .option('--port <port>', 'HTTP port: state and sandbox files (0 = any free port)', arg(parsePort), 5051)
    .option(
      '--resources <spec>',
      "resources to offer, e.g. 'cpus:4;mem:8192;ports:[31000-32000]'",
      arg(parseResourcesFlag),
    )
    .option('--attributes <spec>', "attributes for constraints, e.g. 'rack:r1;zone:a'", arg(parseAttributesFlag))
    .option('--isolation <mode>', 'auto, cgroups or posix', arg(parseIsolation))
    .option('--kill_tasks_on_exit [bool]', 'kill running tasks when the agent stops cleanly', arg(parseBoolean))
    .option(
      '--grpc_port <port>',
      'gRPC port of the executor API (default 5061, or a free port when --port is 0; 0 = any free port)',
      arg(parsePort),
    )
    .option('--docker_socket <path>', 'Docker engine socket (default: DOCKER_HOST or /var/run/docker.sock)')
    .option(
      '--executor_registration_timeout <duration>',
      'kill a custom executor that has not subscribed within this (e.g. 1mins)',
      duration,
    )
    .option(
      '--executor_reregistration_timeout <duration>',
      'after a restart, how long executors of the previous run have to re-subscribe (default 2secs, at most 15secs)',
      duration,
    )
    .option(
      '--status_update_retry_interval <duration>',
      'first resend of an unacknowledged status update; doubles up to 10mins (default 10secs)',
      duration,
    )
    .option(
      '--zk_session_timeout <duration>',
      'ZooKeeper session timeout with a zk:// --master (default 10secs)',
      duration,
    )
    .option(
      '--recover <mode>',
      'reconnect: re-attach to the tasks a previous run left (default); cleanup: kill them and start afresh',
      arg(parseRecover),
    )
    .action(async (raw: Raw) => handlers.agent(agentFlags(raw)));
  addTlsOptions(agent, 'agent');
  addAgentAuthOptions(agent);

  program
    .command('local')
    .description(
      'run a master, agents, Marathon and Chronos in one process on loopback, then the example framework once',
    )
    .option(
      '--agents <n>',
      'how many agents',
      arg((t) => parseCount(t, 1)),
      2,
    )
    .option('--port <port>', "the master's HTTP port (0 = any free port)", arg(parsePort), 5050)
    .option('--grpc_port <port>', "the master's gRPC port (0 = any free port)", arg(parsePort), 5060)
    .option('--work_dir <dir>', 'where the agents keep their work dirs (default: a new temp dir)')
    .option(
      '--tasks <n>',
      'tasks the example framework runs',
      arg((t) => parseCount(t, 1)),
      4,
    )
    .option('--no-examples', 'do not run the example framework')
    .option('--marathon_port <port>', "Marathon's HTTP port (0 = any free port)", arg(parsePort), 8080)
    .option('--chronos_port <port>', "Chronos' HTTP port (0 = any free port)", arg(parsePort), 4400)
    .option('--no-marathon', 'do not run Marathon')
    .option('--no-chronos', 'do not run Chronos')
    .option(
      '--tls',
      'TLS everywhere (HTTPS, gRPC over TLS) with a throwaway CA made by openssl in the work dir; prints its path',
    )
    .option('--tls-cert <file>', 'TLS with your own PEM certificate (valid for 127.0.0.1); needs --tls-key, --tls-ca')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option('--tls-ca <file>', 'the PEM CA certificate(s) that --tls-cert chains to')
    .action(async (raw: Raw) => handlers.local(localFlags(raw)));

  addMarathonCommand(program, handlers.marathon);
  addChronosCommand(program, handlers.chronos);
  addExampleCommand(program, handlers.example ?? runExampleCommand);
  addOperatorCommands(program, io ?? processIo(output));

  return program;
}
