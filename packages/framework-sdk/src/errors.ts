// The SDK's typed errors. Each says what happened and what to do about it.
import { MesocosmError, type ErrorCode } from '@mesocosm/protocol';

const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'INVALID_ARGUMENT',
  'INVALID_RESOURCE',
  'UNKNOWN_OFFER',
  'INSUFFICIENT_RESOURCES',
  'DUPLICATE_TASK',
  'WRONG_AGENT',
  'NOT_SUBSCRIBED',
  'STALE_STREAM',
  'UNKNOWN_FRAMEWORK',
  'UNKNOWN_AGENT',
  'UNKNOWN_TASK',
  'AGENT_ALREADY_CONNECTED',
  'NOT_LEADER',
  'FRAMEWORK_REMOVED',
  'DISCONNECTED',
  'TIMEOUT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'INTERNAL',
]);

function asErrorCode(code: string): ErrorCode {
  return KNOWN_CODES.has(code) ? (code as ErrorCode) : 'INTERNAL';
}

/**
 * The master refused a SUBSCRIBE: an ERROR event answered it, or the gRPC
 * call failed with a status other than UNAVAILABLE (which is retried).
 *
 * @example
 * ```ts
 * try {
 *   await driver.start();
 * } catch (err) {
 *   if (err instanceof SubscribeRefusedError) console.error(err.masterCode, err.message);
 * }
 * ```
 */
export class SubscribeRefusedError extends MesocosmError {
  /** The master's error code (`FRAMEWORK_REMOVED`, ...) or the gRPC status name (`UNIMPLEMENTED`, ...). */
  readonly masterCode: string;

  constructor(masterCode: string, message: string, cause?: unknown) {
    super(asErrorCode(masterCode), `the master refused the subscription (${masterCode}): ${message}`, {
      cause,
      details: { masterCode },
    });
    this.masterCode = masterCode;
  }
}

/** A call on a driver that was stopped or torn down: create a new `SchedulerDriver`. */
export class DriverStoppedError extends MesocosmError {
  constructor(what: string) {
    super('DISCONNECTED', `${what}: the scheduler driver is stopped; create a new SchedulerDriver to subscribe again`);
  }
}
