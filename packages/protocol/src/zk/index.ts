/**
 * A ZooKeeper client for Mesocosm's high availability: a promise API over
 * the native `zookeeper` addon (loaded on first connection, so importing
 * this module is cheap), typed errors, and `zk://` URL parsing.
 *
 * @example
 * ```ts
 * import { ZkClient, parseZkUrl } from '@mesocosm/protocol/zk';
 *
 * const url = parseZkUrl('zk://127.0.0.1:2181/mesos');
 * const zk = await ZkClient.connect({ connect: url.connect, sessionTimeoutMs: 10_000 });
 * console.log(await zk.getChildren(url.path));
 * zk.close();
 * ```
 *
 * @module
 */
export { ZkClient } from './client.js';
export type {
  CreateMode,
  ZkConnectOptions,
  ZkLogLevel,
  ZkSessionEvent,
  ZkStat,
  ZkState,
  ZkWatchEvent,
  ZkWatcher,
} from './types.js';
export { ZkError, ZK_RESULT_CODES, zkCodeName, type ZkCode } from './errors.js';
export { parseZkUrl, isZkUrl, DEFAULT_ZK_PORT, type ZkUrl } from './url.js';
export { joinZkPath, zkBasename, sequenceOf } from './paths.js';
export {
  MASTER_INFO_PREFIX,
  type MasterInfoJson,
  encodeMasterInfoJson,
  decodeMasterInfoJson,
  grpcAddressOf,
  leaderOf,
  electionQueue,
  mesosIpNumber,
  mesosIpString,
} from './master-info-json.js';
