/**
 * The Mesocosm wire contract: generated protobuf messages (`mesocosm.v1`),
 * gRPC service descriptors, resource arithmetic, IDs, errors and a clock.
 *
 * @example
 * ```ts
 * import { Resources, v1 } from '@mesocosm/protocol';
 * const offer = Resources.parse('cpus:2;mem:1024;ports:[31000-31010]');
 * offer.contains(Resources.parse('cpus:0.5;mem:128')); // true
 * ```
 *
 * @module
 */
export { mesocosm } from './generated/proto.js';
export * from './messages.js';
export { SchedulerService, AgentService, ExecutorService, OperatorService, type MethodDescriptor } from './services.js';
export { Resources, UNRESERVED_ROLE, coalesceRanges, type Range, type Shortfall } from './resources.js';
export { parseAttributes, attributeValue, attributesToRecord } from './attributes.js';
export { MesocosmError, ValidationError, LimitExceededError, ResourceParseError, type ErrorCode } from './errors.js';
export { type Clock, type TimerHandle, SystemClock, FakeClock, systemClock } from './clock.js';
export { newId, newUpdateUuid, uuidToString } from './ids.js';
export { type Logger, type LogLevel, capturingLogger, createLogger, silentLogger } from './logger.js';
export {
  MESOS_DURATION_UNITS,
  type MesosDurationReading,
  readMesosDuration,
  parseMesosDuration,
  formatMesosDuration,
} from './duration.js';
export {
  validateId,
  validateRole,
  validateFrameworkInfo,
  validateTaskInfo,
  validateAgentInfo,
  frameworkRoles,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_MESSAGE_DATA_BYTES,
} from './validate.js';
export { validateCallBounds, validateAgentCallBounds, validateExecutorCallBounds } from './validate-calls.js';
export * from './limits.js';
export {
  type PemSource,
  type TlsServerConfig,
  type TlsClientConfig,
  type TlsSourceNames,
  type TlsMaterial,
  type TlsProblem,
  TlsConfigError,
  TLS_FLAG_NAMES,
  TLS_OPTION_NAMES,
  TLS_ENV_NAMES,
  loadTls,
  loadClientTls,
  tlsFromEnv,
  servesTls,
  grpcServerCredentials,
  grpcChannelCredentials,
  grpcChannelOptions,
  httpsServerOptions,
  httpsClientOptions,
  explainTlsFailure,
} from './tls.js';
export * from './auth/index.js';
