/**
 * Marathon on Mesocosm. This module holds the pure core: app and group
 * definitions (parse, defaults, validation, rendering, versions) and the
 * deployment planner (plans, step decisions, launch backoff, kill rate).
 *
 * @example
 * ```ts
 * import { parseApp, renderApp, stampVersion, planDeployment, restartDecision } from '@mesocosm/marathon';
 *
 * const v1 = stampVersion(undefined, parseApp({ id: 'web', cmd: 'python3 -m http.server $PORT0', instances: 3 }), now);
 * const v2 = stampVersion(v1, parseApp({ ...renderApp(v1), cmd: 'python3 -m http.server $PORT0 --bind 0.0.0.0' }), later);
 * const plan = planDeployment([v1], [v2], { id: 'd-1', version: v2.version! });
 * // plan.steps[0].actions[0].action === 'RestartApplication'
 * const next = restartDecision(v2, instancesOfWeb); // { kill: [...], start: n, done: false }
 * ```
 *
 * @module
 */

// Errors.
export { AppValidationError, AppLockedError, type ValidationErrorBody, type LockedErrorBody } from './errors.js';

// Model: app definitions.
export {
  type AppDefinition,
  type NetworkMode,
  type PortProtocol,
  type PortDefinition,
  type PortMapping,
  type Volume,
  type DockerSpec,
  type ContainerSpec,
  type FetchUri,
  type HealthCheck,
  type HealthCheckProtocol,
  type ReadinessCheck,
  type UpgradeStrategy,
  type UnreachableStrategy,
  type KillSelection,
  type VersionInfo,
  APP_DEFAULTS,
  HEALTH_CHECK_DEFAULTS,
  READINESS_CHECK_DEFAULTS,
  HEALTH_CHECK_PROTOCOLS,
} from './model/app-definition.js';
export { parseApp, checkApp, type ParseAppOptions, MODELLED_FIELDS, READ_ONLY_FIELDS } from './model/parse-app.js';
export { renderApp } from './model/render-app.js';
export {
  type AppChange,
  classifyChange,
  configKey,
  nextVersion,
  stampVersion,
  restartApp,
  patchApp,
} from './model/app-versions.js';
export {
  type Constraint,
  type ConstraintOperator,
  CONSTRAINT_OPERATORS,
  parseConstraint,
  renderConstraint,
} from './model/constraint.js';
export { resolveId, parentOf, isUnder, segmentsOf, type ResolvedId } from './model/path-id.js';
export { Problems, type ErrorDetail } from './model/problems.js';
export { isArchive } from './model/fetch.js';

// Model: groups and dependencies.
export {
  type GroupDefinition,
  type ParseGroupOptions,
  parseGroup,
  flattenGroup,
  groupOf,
  renderGroup,
} from './model/group.js';
export {
  type DependencyNode,
  dependencyGraph,
  dependencyLevels,
  unknownDependencies,
  findCycle,
  assertAcyclic,
} from './model/dependencies.js';

// Planner.
export {
  type DeploymentAction,
  type DeploymentActionName,
  type DeploymentStep,
  type DeploymentPlan,
  type PlanOptions,
  planDeployment,
  revertPlan,
  needsRestart,
} from './planner/deployment-plan.js';
export { renderDeployment } from './planner/render-deployment.js';
export { lockConflicts, admitDeployment } from './planner/deployment-locks.js';
export {
  type InstanceView,
  type InstancePhase,
  configVersion,
  isHealthy,
  isAvailable,
  killOrder,
} from './planner/instance.js';
export { type Decision } from './planner/decision.js';
export { type UpgradeBounds, upgradeBounds } from './planner/capacity.js';
export { type RestartDecision, type RestartSnapshot, restartDecision } from './planner/rolling-restart.js';
export { scaleDecision, stopDecision } from './planner/scaling.js';
export { actionDecision, stepProgress, type StepProgress } from './planner/step-progress.js';
export { type BackoffPolicy, type BackoffEntry, LaunchBackoff, launchDelaySeconds } from './planner/launch-backoff.js';
export {
  type KillRateOptions,
  type KillAdmission,
  DEFAULT_KILL_RATE,
  TokenBucket,
  admitKills,
} from './planner/kill-rate-limit.js';

// The service seam (REST API ↔ engine) and its errors.
export { UnknownAppError, AppExistsError } from './errors.js';
export {
  type MarathonService,
  type Json,
  type ForceOption,
  type DeploymentResult,
  type AppEmbed,
  type AppFilter,
  type MarathonEvent,
  type EventSubscription,
  type AppsSnapshot,
} from './service/marathon-service.js';

// The engine: one Marathon instance (leadership, state, deployments, keep-alive, events).
export { Marathon, type MarathonOptions, MARATHON_VERSION } from './marathon.js';
export { MarathonEngine, type EngineOptions, type TaskFailure } from './engine/engine.js';
export { EngineService, type ServiceContext } from './engine/engine-service.js';
export { type ClusterPort } from './engine/cluster-port.js';
export { EventBus, DEFAULT_EVENT_RETENTION } from './engine/event-bus.js';
export { InstanceBook } from './engine/instance-book.js';
export { applyStatus, viewOf, isInactive, isExpunged, type StatusOutcome } from './engine/instance-status.js';
export { taskIdFor, taskIdPrefix } from './engine/task-id.js';
export { wantedTask, taskEnvironment, hostPortSlots, assignedPorts, healthCheckOf } from './engine/task-builder.js';
export { deploy, cancelDeployment, type DeployOptions } from './engine/deployer.js';

// State layout in the StateStore.
export { MarathonStore, COLLECTIONS, type LoadedState } from './state/marathon-store.js';
export { type InstanceRecord, type InstanceState, decodeInstance, encodeInstance } from './state/instance-record.js';
export { type DeploymentState, decodeDeployment, encodeDeployment } from './state/deployment-record.js';

// REST API (/v2, events, the web page).
export { startMarathonHttp, type MarathonHttp, type MarathonHttpOptions, HttpError } from './api/index.js';

// REST API authentication (HTTP basic, bearer tokens) and per-path ACLs.
// (Credentials, their parsing and CredentialsError are the SDK's: @mesocosm/framework-sdk.)
export { NotAuthorizedError, AclConfigError, type AclProblem } from './errors.js';
export { API_ACTIONS, ApiAcl, aclPathMatches, parseAclRules, type ApiAction, type AclRule } from './model/api-acl.js';
export {
  ApiGuard,
  DEFAULT_REALM,
  loadApiAuth,
  AuthorizedService,
  type ApiAuthOptions,
  type ApiAuthSources,
} from './api/index.js';
