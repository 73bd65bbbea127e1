// Leader election through ZooKeeper, in the Mesos layout.
export {
  LeaderContender,
  type LeaderContenderOptions,
  type ContenderState,
  type ContenderEvents,
} from './leader-contender.js';
export { ElectionError } from './errors.js';
export {
  leaderOf,
  electionQueue,
  encodeMasterInfoJson,
  decodeMasterInfoJson,
  MASTER_INFO_PREFIX,
} from '@mesocosm/protocol/zk';
