// The options of LocalCluster, and the checks that refuse combinations that cannot work.
import type { Clock, Logger } from '@mesocosm/protocol';
import { LocalClusterError } from './errors.js';
import type { MasterStartOptions } from './in-process.js';
import type { AgentSpec, MasterHandle } from './members.js';
import type { MemberHost } from './net/member-host.js';

/** Options of {@link LocalCluster.start}. */
export interface LocalClusterOptions {
  /** How many agents (default 2), or one spec per agent (`{ simulated: { runMs } }` for a simulated one). */
  agents?: number | AgentSpec[];
  /** `in-process` (default; fast) or `processes` (child processes of the CLI: kill -9 possible). */
  mode?: 'in-process' | 'processes';
  /** Options of the master (in `processes` mode, those that have a CLI flag). */
  masterOptions?: MasterStartOptions;
  /**
   * ZooKeeper to elect the masters in (`host:port[,host:port]`, e.g.
   * `(await sharedZooKeeper()).connectString`): the masters contend under a
   * path of their own, agents and frameworks follow the leader through
   * {@link LocalCluster.masterUrl}, and {@link LocalCluster.failover} works.
   */
  zk?: string;
  /** How many masters (default 1); more than one needs `zk`. */
  masters?: number;
  /** ZooKeeper session timeout of masters and agents with `zk` (default 2000 ms: a killed leader is noticed fast). */
  zkSessionTimeoutMs?: number;
  /**
   * The time source of the master and of simulated agents (`in-process`
   * mode only), e.g. a {@link TestClock}: the master's heartbeats, agent
   * pings, offer timeouts, filters and failover timeouts, and simulated
   * tasks' run times, move only when the test advances it. Real agents keep
   * the system clock (their tasks are real processes). Default: the system clock.
   */
  clock?: Clock;
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
  /**
   * TLS everywhere, with a throwaway CA made by openssl in the cluster's
   * work dir (`<workDir>/tls`, see {@link LocalCluster.tls}): the master
   * serves HTTPS and gRPC over TLS, agents verify it and serve HTTPS with
   * the same certificate (valid for 127.0.0.1, ::1 and localhost), and
   * `requireClientCert` turns on mutual TLS. Give frameworks `cluster.tls.caFile`
   * as their `tls.ca`. `material` uses those PEM files instead of making a
   * CA (e.g. an operator's own for `mesocosm local`; the certificate must be
   * valid for 127.0.0.1 and serves as the client certificate too). Default false.
   */
  tls?: boolean | { requireClientCert?: boolean; material?: { cert: string; key: string; ca: string } };
  /**
   * For a master with `masterOptions.authenticateHttp`: the principal and
   * secret (of `masterOptions.credentials`) that the cluster's own reads of
   * `/master/state` (waitForAgents, tasks, waitForTask, ...) and
   * {@link fetchJson} requests to the master authenticate with.
   */
  operatorCredential?: { principal: string; secret: string };
}

/** The ports a master had, to start it again where agents and frameworks look for it. @internal */
export function portsOf(last: MasterHandle | undefined): Pick<MasterStartOptions, 'port' | 'grpcPort'> {
  if (!last) return {};
  const port = Number(/:(\d+)$/.exec(last.http)?.[1] ?? 0);
  const grpcPort = Number(/:(\d+)$/.exec(last.grpc)?.[1] ?? 0);
  return { port, grpcPort };
}

/** Refuses option combinations that cannot work, before anything starts. @internal */
export function checkOptions(
  mode: 'in-process' | 'processes',
  o: LocalClusterOptions,
  specs: readonly AgentSpec[],
): void {
  if (mode === 'in-process' && (o.masterHost || o.agentHosts?.some((h) => h !== undefined)))
    throw new LocalClusterError("masterHost and agentHosts need mode 'processes': an in-process member cannot move");
  const masters = o.masters ?? 1;
  if (!Number.isInteger(masters) || masters < 1)
    throw new LocalClusterError(`masters must be a whole number of at least 1, got ${masters}`);
  if (masters > 1 && o.zk === undefined)
    throw new LocalClusterError(`${masters} masters need ZooKeeper to elect a leader: give zk (host:port)`);
  if (o.clock && mode === 'processes')
    throw new LocalClusterError("clock works in mode 'in-process' only: a child process keeps its own time");
  if (o.zk !== undefined && specs.some((s) => s.simulated))
    throw new LocalClusterError('simulated agents dial one master address and do not follow ZooKeeper: drop zk');
}
