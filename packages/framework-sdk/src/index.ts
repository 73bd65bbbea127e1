/**
 * The Mesocosm framework SDK: a scheduler driver that subscribes to the
 * master and keeps the subscription alive, pure helpers that place tasks
 * onto offers, and an executor driver for custom executors (`ExecutorDriver`,
 * `runExecutor`). Everything a framework author needs is exported from here.
 *
 * @example
 * ```ts
 * import { SchedulerDriver, matchOffers, taskStateName, type TaskRequest } from '@mesocosm/framework-sdk';
 *
 * const pending: TaskRequest[] = [{ taskId: 'hello-1', resources: 'cpus:0.1;mem:32', command: { value: 'echo hello' } }];
 * const driver = new SchedulerDriver({ master: '127.0.0.1:5060', framework: { name: 'hello', user: 'nobody' } });
 *
 * driver.on('offers', ({ offers }) => {
 *   const m = matchOffers(offers ?? [], pending.splice(0));
 *   for (const { offer, tasks } of m.launches) driver.launch(offer.id?.value ?? '', tasks);
 *   pending.push(...m.unmatched.map((u) => u.request));
 *   const unused = m.unused.map((o) => o.id?.value ?? '');
 *   if (unused.length > 0) driver.decline(unused, { refuseSeconds: 30 }, m.declineReasons);
 *   if (pending.length === 0) driver.suppress();
 * });
 * driver.on('update', ({ status }) => console.log(status?.taskId?.value, taskStateName(status?.state)));
 * await driver.start();
 * ```
 *
 * @module
 */

// Scheduler driver.
export { SchedulerDriver, type SchedulerDriverOptions, type Subscribed } from './scheduler-driver.js';
export {
  type SchedulerEventMap,
  type SchedulerEventName,
  type SchedulerEventHandler,
  type SubscribedEvent,
  type OffersEvent,
  type RescindEvent,
  type UpdateEvent,
  type MessageEvent,
  type FailureEvent,
  type ErrorEvent,
  type DisconnectedEvent,
} from './event-map.js';
export { type ReconcileTask, needsAcknowledgement } from './calls.js';
export {
  type MasterDetector,
  type MasterDetectorOptions,
  FixedMasterDetector,
  createMasterDetector,
  parseMasterAddress,
} from './detector.js';
export { ZooKeeperMasterDetector, type ZooKeeperDetectorOptions } from './detection/zookeeper-detector.js';
export { DetectorClosedError } from './detection/errors.js';
export { backoffDelay, MAX_BACKOFF_MS } from './backoff.js';
export { SubscribeRefusedError, DriverStoppedError } from './errors.js';
export { CREDENTIAL_ENV, credentialFromEnv, readCredentialFile, readSecretFile } from './credential.js';

// Credentials: a framework's own (`Credential`, the driver's `credential` option), and a
// framework's REST API locked with HTTP basic credentials and bearer tokens the way
// Marathon and Chronos lock theirs (`--http_credentials`, `--http_credentials_file`,
// `--http_tokens_file`): parsing, digests compared in constant time, the `Authorization` header.
export {
  type Credential,
  type BearerToken,
  type CredentialsSpec,
  type ParsedCredentials,
  CredentialsError,
  parseCredentialList,
  parseCredentialsFile,
  parseTokensFile,
  CredentialStore,
  type Authentication,
  HttpAuthGuard,
  type HttpAuthOptions,
  loadHttpAuth,
  type HttpAuthSources,
  parseAuthorization,
  basicAuthorization,
  basicChallenge,
  type PresentedCredentials,
} from '@mesocosm/protocol';

// TLS: the driver's `tls` option, and what a framework needs to serve its own API over HTTPS.
export {
  type PemSource,
  type TlsClientConfig,
  type TlsServerConfig,
  type TlsMaterial,
  type TlsSourceNames,
  type TlsProblem,
  TlsConfigError,
  TLS_FLAG_NAMES,
  TLS_ENV_NAMES,
  loadTls,
  loadClientTls,
  tlsFromEnv,
  servesTls,
  httpsServerOptions,
  httpsClientOptions,
  explainTlsFailure,
} from '@mesocosm/protocol';

// Executor driver (custom executors).
export { ExecutorDriver, type ExecutorDriverOptions } from './executor/executor-driver.js';
export {
  runExecutor,
  type ExecutorHooks,
  type ExecutorTaskContext,
  type ExecutorTaskResult,
  type RunExecutorOptions,
} from './executor/run-executor.js';
export { readExecutorEnvironment, type ExecutorEnvironment } from './executor/environment.js';
export {
  type ExecutorEventMap,
  type ExecutorEventName,
  type ExecutorEventHandler,
  type ExecutorSubscribedEvent,
  type LaunchEvent,
  type KillEvent,
  type AcknowledgedEvent,
  type ExecutorMessageEvent,
  type ExecutorErrorEvent,
  type ExecutorDisconnectedEvent,
} from './executor/executor-event-map.js';
export { ExecutorEnvironmentError, ExecutorRefusedError, ExecutorDriverStoppedError } from './executor/errors.js';

// Offer matching (pure).
export { matchOffers, type MatchResult, type MatchOptions } from './matching/match-offers.js';
export { type TaskRequest, requestResources } from './matching/task-request.js';
export { assignPorts, type PortAssignment } from './matching/assign-ports.js';
export { taskInfoFor, portsOf } from './matching/task-info.js';
export { pickResources, type PickResult } from './matching/pick-resources.js';

// Placement constraints (pure), Marathon's operators.
export {
  type Constraint,
  type ConstraintOperator,
  CONSTRAINT_OPERATORS,
  parseConstraint,
  parseConstraints,
  formatConstraint,
  constraintToJson,
} from './matching/constraints.js';
export { checkConstraints, type ConstraintCheck } from './matching/constraints-check.js';
export {
  type Placement,
  constraintFieldValue,
  constraintAttributeValue,
  formatScalar,
} from './matching/constraints-values.js';

// REST API path ACLs (pure): rule checking and evaluation; the framework brings its path patterns.
export {
  HTTP_ACL_ACTIONS,
  type HttpAclAction,
  type HttpAclRule,
  type HttpAclProblem,
  type PathPatternMatcher,
  type HttpAclCheck,
  checkHttpAclRules,
  HttpAcl,
  wildcardMatch,
} from './http-acl/path-acl.js';

// The high-level Scheduler: declare what you want; offers are matched, declined, suppressed, revived.
export { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
export { SchedulerCore, type SchedulerSources, type OffersDecision } from './scheduler/scheduler-core.js';
export {
  type WantedTask,
  type PendingGroup,
  type LaunchedTask,
  type SchedulerAction,
  type SchedulerPolicy,
  DEFAULT_SCHEDULER_POLICY,
} from './scheduler/types.js';
export { type OfferStats } from './scheduler/offer-stats.js';
export { type RetryPolicy, type PlannedRetry, RETRIED_STATES, retryDelayMs } from './scheduler/retry-book.js';
export { UNFULFILLED_ROLE, type RoundProblem } from './scheduler/offer-round.js';

// The protocol pieces a framework author needs, so that this package is enough.
export {
  Resources,
  UNRESERVED_ROLE,
  type Range,
  type Shortfall,
  parseAttributes,
  attributeValue,
  attributesToRecord,
  taskStateName,
  reasonName,
  isTerminalState,
  TERMINAL_TASK_STATES,
  TaskState,
  TaskStatusReason,
  TaskStatusSource,
  EventType,
  CallType,
  ExecutorEventType,
  ExecutorCallType,
  OperationType,
  ValueType,
  FrameworkCapability,
  ContainerType,
  DockerNetwork,
  HealthCheckType,
  VolumeMode,
  MesocosmError,
  MAX_MESSAGE_DATA_BYTES,
  ValidationError,
  ResourceParseError,
  type ErrorCode,
  type Clock,
  type TimerHandle,
  FakeClock,
  systemClock,
  type Logger,
  type LogLevel,
  createLogger,
  silentLogger,
  type Event,
  type Call,
  type IEvent,
  type ICall,
  type ExecutorEvent,
  type IExecutorEvent,
  type IExecutorCall,
  type IOffer,
  type IOfferID,
  type IOperation,
  type ITaskInfo,
  type ITaskID,
  type ITaskStatus,
  type IAgentID,
  type IExecutorID,
  type IFrameworkID,
  type IFrameworkInfo,
  type IMasterInfo,
  type IResource,
  type IAttribute,
  type ILabels,
  type IEnvironment,
  type ICommandInfo,
  type IContainerInfo,
  type IHealthCheck,
  type IKillPolicy,
  type IExecutorInfo,
  type IFilters,
  type IDeclineReason,
} from '@mesocosm/protocol';
