/**
 * High availability for frameworks (`@mesocosm/framework-sdk/ha`): leader
 * election among the instances of one framework, a persistent per-record
 * state store with compare-and-set, and their local fallbacks for running
 * without ZooKeeper. Marathon and Chronos are built on it; so can any
 * framework.
 *
 * @example
 * ```ts
 * import { createFrameworkHa } from '@mesocosm/framework-sdk/ha';
 *
 * const ha = createFrameworkHa({
 *   zk: 'zk://h1:2181,h2:2181/marathon', // omit for a single local instance
 *   info: { id: randomUUID(), hostname: 'm1', port: 8080, url: 'http://m1:8080' },
 * });
 * ha.leadership.on('elected', async () => {
 *   const apps = await readCollection(ha.store, 'apps');
 *   // ... subscribe with (await ha.frameworkId.load()) and run
 * });
 * ha.leadership.on('deposed', () => process.exit(3)); // or stop scheduling: it stands again by itself
 * ha.leadership.on('leaderChanged', (leader) => console.log('leader is', leader?.url));
 * await ha.leadership.start();
 * ```
 *
 * @module
 */

// Leadership.
export type { FrameworkLeadership, LeadershipEvents } from './leadership.js';
export type { LeaderInfo } from './leader-info.js';
export {
  FrameworkLeaderElection,
  type FrameworkLeaderElectionOptions,
  type ElectionState,
} from './framework-leader-election.js';
export { LocalLeadership } from './local-leadership.js';
export { ZooKeeperConnection, type ZooKeeperConnectionOptions } from './zookeeper-connection.js';

// State.
export { type StateStore, type StateRecord, type CreateResult, readCollection } from './state-store.js';
export { ZooKeeperStateStore, type ZooKeeperStateStoreOptions } from './zookeeper-state-store.js';
export { FileStateStore } from './file-state-store.js';
export { MemoryStateStore } from './memory-state-store.js';
export { MAX_RECORD_BYTES } from './record-codec.js';
export { FrameworkIdStore } from './framework-id-store.js';

// All of it at once.
export { createFrameworkHa, type FrameworkHa, type FrameworkHaOptions } from './framework-ha.js';

// Errors.
export {
  StateConflictError,
  StateRecordTooLargeError,
  StateCorruptError,
  NotLeaderError,
  HaClosedError,
  type RecordRef,
} from './errors.js';
