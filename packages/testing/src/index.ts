/**
 * A real Mesocosm cluster for tests: a master (or several, elected through
 * ZooKeeper) and agents on 127.0.0.1 and free ports, in this process or as
 * child processes (where kill -9 of a member is possible); simulated agents
 * that run no process, and a `TestClock` that makes the master's timers and
 * simulated tasks move only when the test says; helpers to wait for task
 * states, lose agents and fail the master over; and network faults: hosts in
 * network namespaces that can be partitioned (`NetworkHosts`), a TCP proxy
 * that blackholes or resets (`TcpProxy`), and a gRPC proxy that drops chosen
 * messages (`GrpcMessageProxy`).
 *
 * @example
 * ```ts
 * import { LocalCluster } from '@mesocosm/testing';
 *
 * const cluster = await LocalCluster.start({ agents: [{ attributes: 'rack:r1' }, { attributes: 'rack:r2' }] });
 * after(() => cluster.stop());
 * // point your framework at cluster.masterUrl, then:
 * await cluster.waitForTask('task-1', 'TASK_FINISHED');
 * ```
 *
 * @module
 */
export { LocalCluster } from './local-cluster.js';
export { type LocalClusterOptions } from './local-cluster-options.js';
export { type AgentSpec, type ClusterAgent, defaultAgentResources } from './members.js';
export { type ClusterMaster } from './cluster-masters.js';
export { type ClusterTask, type WaitForTaskOptions, tasksOf } from './cluster-tasks.js';
export { type SimulatedExecutorOptions, type SimulatedTask } from './simulated-agent.js';
export { TestClock } from './test-clock.js';
export { type MasterStartOptions } from './in-process.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { fetchJson } from './fetch-json.js';
export { DaemonProcess, type DaemonProcessOptions, type ExitInfo } from './daemon-process.js';
export { parseReadyLine, type ReadyLine } from './ready-line.js';
export { defaultCliPath } from './processes.js';
export { WaitTimeoutError, LocalClusterError, TaskStateError } from './errors.js';
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
export { generateTlsMaterial, type TlsFiles, type TlsMaterialOptions } from './tls-material.js';
