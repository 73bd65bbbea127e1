/**
 * The Mesocosm master (standalone mode): scheduler, agent and operator gRPC
 * APIs, offers from a DRF allocator, task and status routing, operator HTTP.
 *
 * @example
 * ```ts
 * import { Master } from '@mesocosm/master';
 * const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0 });
 * // agents and frameworks connect to master.grpcAddress; operators read `${master.httpUrl}/master/state`
 * await master.stop();
 * ```
 *
 * @module
 */
export { Master, STANDALONE_EPOCH } from './master.js';
export type { MasterOptions } from './options.js';
export type { Registry, AdmittedAgent, DrainConfig, MaintenanceRecord, GoneAgent } from './registry/registry.js';
export { InMemoryRegistry } from './registry/in-memory-registry.js';
export { ZooKeeperRegistry, REGISTRY_FOLDERS } from './registry/zk-registry.js';
export { RECORD_VERSION } from './registry/records.js';
export { RegistryDataError, RegistryFencedError, RecoveringError } from './errors.js';
export { AGENT_REMOVED } from './core/gone-agents.js';
export { API_V1_PATH } from './server/http-api.js';
export { FEED_PATH } from './server/feed.js';
export { TEARDOWN_PATH } from './server/operator-routes.js';
export { DEFAULT_TASKS_LIMIT, MAX_TASKS_LIMIT } from './views/tasks-query.js';
export type {
  StateSummary,
  ResourceTotals,
  AgentRow,
  AgentsPage,
  FrameworkRow,
  FrameworksPage,
  TaskRow,
  TasksPage,
  OffersPage,
  MaintenanceAgent,
  MaintenancePage,
  AllocationSample,
  FeedMessage,
} from './views/feed-types.js';
export type {
  MasterState,
  AgentJson,
  DrainInfoJson,
  RecoveredAgentJson,
  FrameworkJson,
  TaskJson,
  TaskStatusJson,
  OfferJson,
  DeclineReasonJson,
  ResourcesJson,
} from './views/state-json.js';
export { MASTER_VERSION } from './version.js';
export { grpcStatusOf, httpStatusOf } from './errors.js';
export { loadAclsFile } from './auth/files.js';
// Credentials are protocol's (one implementation for the master, the SDK, Marathon and Chronos).
export {
  loadCredentialsFile,
  parseCredentialsText,
  checkCredentials,
  basicAuthorization,
  CredentialsError,
  type CredentialsSpec,
  type Credential,
  type BearerToken,
} from '@mesocosm/protocol';
export {
  parseAcls,
  parseAclsText,
  ACL_ACTIONS,
  ACL_OBJECT_KINDS,
  type Acls,
  type AclAction,
  type AclObjectKind,
  type AclRule,
  type AclEntity,
} from './auth/acls.js';
export { decide, allowsEverything, type AclDecision, type AclObjects } from './auth/authorizer.js';
export { AclsError, UnauthenticatedError, PermissionDeniedError } from './auth/errors.js';
export {
  Allocator,
  type AgentEntry,
  type Allocation,
  type AllocatorOptions,
  type FrameworkEntry,
  type UsedResources,
} from './allocator/index.js';
