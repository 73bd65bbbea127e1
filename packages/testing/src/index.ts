/**
 * A real Mesocosm cluster for tests: a master and agents on 127.0.0.1 and
 * free ports, in this process or as child processes (where kill -9 of a
 * member is possible), plus the polling helpers tests need, and network
 * faults: hosts in network namespaces that can be partitioned
 * (`NetworkHosts`), a TCP proxy that blackholes or resets (`TcpProxy`), and
 * a gRPC proxy that drops chosen messages (`GrpcMessageProxy`).
 *
 * @example
 * ```ts
 * import { LocalCluster, waitFor, fetchJson } from '@mesocosm/testing';
 *
 * const cluster = await LocalCluster.start({ agents: 2 });
 * after(() => cluster.stop());
 * // point your framework at cluster.masterGrpc, then:
 * await waitFor(async () => {
 *   const s = await fetchJson<{ tasks: { state: string }[] }>(`${cluster.masterHttp}/master/state`);
 *   return s.tasks.every((t) => t.state === 'TASK_FINISHED');
 * }, { timeoutMs: 10_000, message: 'every task finished' });
 * ```
 *
 * @module
 */
export { LocalCluster, type LocalClusterOptions } from './local-cluster.js';
export { type AgentSpec, type ClusterAgent, defaultAgentResources } from './members.js';
export { type MasterStartOptions } from './in-process.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { fetchJson } from './fetch-json.js';
export { DaemonProcess, type DaemonProcessOptions, type ExitInfo } from './daemon-process.js';
export { parseReadyLine, type ReadyLine } from './ready-line.js';
export { defaultCliPath } from './processes.js';
export { WaitTimeoutError, LocalClusterError } from './errors.js';
export {
  startZooKeeper,
  sharedZooKeeper,
  TEST_TICK_MS,
  type StartZooKeeperOptions,
  type SharedZooKeeper,
} from './zookeeper.js';
export { startZooKeeperEnsemble, type ZooKeeperEnsemble } from './zookeeper-ensemble.js';
export { ZooKeeperServer } from './zookeeper-server.js';
export { fourLetterWord, findZooKeeperInstall, type ZooKeeperInstall } from './zookeeper-install.js';
export { expireZooKeeperSession } from './zookeeper-session.js';
export { NetworkHosts, type NetworkHostsOptions } from './net/network-hosts.js';
export { NetworkHost } from './net/network-host.js';
export { type NetworkHostsAvailability } from './net/availability.js';
export { type MemberHost } from './net/member-host.js';
export { type CommandResult } from './net/command.js';
export { TcpProxy, type TcpProxyOptions, type TcpProxyStats } from './net/tcp-proxy.js';
export { GrpcMessageProxy, type GrpcMessageProxyOptions } from './net/grpc-message-proxy.js';
export {
  type FilterVerdict,
  type MessageFilter,
  type MessageSelector,
  type DropRule,
  type MessageCounts,
} from './net/message-filters.js';
export {
  type ProxiedServiceName,
  type MessageDirection,
  type ProxiedMessages,
  type ProxiedMessageArgs,
} from './net/proxied-services.js';
export { NetworkHostsError, ProxyError } from './net/errors.js';
