// A task's HealthCheck, validated and in milliseconds. Pure.
import { ValidationError, v1, type ICommandInfo, type IHealthCheck } from '@mesocosm/protocol';

/** What one check does. */
export type ProbeSpec =
  | { readonly type: 'command'; readonly command: ICommandInfo }
  | {
      readonly type: 'http';
      readonly scheme: 'http' | 'https';
      readonly port: number;
      readonly path: string;
      /** Healthy answers; empty = any 2xx or 3xx. */
      readonly statuses: readonly number[];
    }
  | { readonly type: 'tcp'; readonly port: number };

/** When and how often to check, and what to do about failures. */
export interface HealthSpec {
  /** Before the first check (`delay_seconds`). */
  readonly delayMs: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Failures this soon after the task runs do not count, until the first success (`grace_period_seconds`). */
  readonly gracePeriodMs: number;
  /** Kill the task after this many failures in a row; 0 = never. */
  readonly consecutiveFailures: number;
  readonly probe: ProbeSpec;
}

const { COMMAND, HTTP, TCP } = v1.HealthCheck.Type;

function seconds(field: string, value: number | null | undefined, positive: boolean): number {
  const v = value ?? 0;
  if (!Number.isFinite(v) || v < 0 || (positive && v === 0))
    throw new ValidationError(
      `health_check.${field}`,
      `must be ${positive ? 'greater than 0' : '0 or more'} seconds, got ${v}`,
    );
  return Math.round(v * 1000);
}

function port(kind: string, p: number | null | undefined): number {
  const v = p ?? 0;
  if (!Number.isInteger(v) || v < 1 || v > 65535)
    throw new ValidationError(
      `health_check.${kind}.port`,
      `must be a TCP port (1-65535), got ${v}: say which port to check`,
    );
  return v;
}

function probe(check: IHealthCheck): ProbeSpec {
  switch (check.type ?? 0) {
    case COMMAND: {
      const command = check.command;
      if (!command || (!command.value && (command.arguments ?? []).length === 0))
        throw new ValidationError('health_check.command', 'a COMMAND health check needs a command with a value to run');
      return { type: 'command', command };
    }
    case HTTP: {
      const http = check.http ?? {};
      const scheme = (http.scheme || 'http').toLowerCase();
      if (scheme !== 'http' && scheme !== 'https')
        throw new ValidationError('health_check.http.scheme', `must be http or https, got '${http.scheme ?? ''}'`);
      const path = http.path || '/';
      if (!path.startsWith('/'))
        throw new ValidationError('health_check.http.path', `must start with '/', got '${path}'`);
      const statuses = http.statuses ?? [];
      const bad = statuses.find((s) => !Number.isInteger(s) || s < 100 || s > 599);
      if (bad !== undefined) throw new ValidationError('health_check.http.statuses', `${bad} is not an HTTP status`);
      return { type: 'http', scheme, port: port('http', http.port), path, statuses };
    }
    case TCP:
      return { type: 'tcp', port: port('tcp', check.tcp?.port) };
    default:
      throw new ValidationError('health_check.type', `${check.type ?? 0} is not COMMAND, HTTP or TCP`);
  }
}

/** The spec of a HealthCheck; throws a {@link ValidationError} naming the field to fix. */
export function healthSpec(check: IHealthCheck): HealthSpec {
  const consecutiveFailures = check.consecutiveFailures ?? 0;
  if (!Number.isInteger(consecutiveFailures) || consecutiveFailures < 0)
    throw new ValidationError(
      'health_check.consecutive_failures',
      `must be a whole number, got ${consecutiveFailures}`,
    );
  return {
    delayMs: seconds('delay_seconds', check.delaySeconds, false),
    intervalMs: seconds('interval_seconds', check.intervalSeconds, true),
    timeoutMs: seconds('timeout_seconds', check.timeoutSeconds, true),
    gracePeriodMs: seconds('grace_period_seconds', check.gracePeriodSeconds, false),
    consecutiveFailures,
    probe: probe(check),
  };
}

/** Why a task's health check cannot be run, or undefined when it can (or there is none). */
export function healthCheckProblem(check: IHealthCheck | null | undefined): string | undefined {
  if (!check) return undefined;
  try {
    healthSpec(check);
    return undefined;
  } catch (err) {
    if (err instanceof ValidationError) return `Invalid health check: ${err.message}`;
    throw err;
  }
}
