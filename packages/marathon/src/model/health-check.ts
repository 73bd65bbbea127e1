// Health and readiness checks with Marathon's defaults; port references are
// checked against the app's ports (port mappings first, else port definitions).

import {
  HEALTH_CHECK_DEFAULTS,
  HEALTH_CHECK_PROTOCOLS,
  READINESS_CHECK_DEFAULTS,
  type HealthCheck,
  type ReadinessCheck,
} from './app-definition.js';
import { Problems, childPath, isObject, jsonType } from './problems.js';
import { optEnum, optNumber, optObject, optString, readArray, readBool, readNumber } from './readers.js';

const SECONDS = { min: 0, integer: true } as const;

/** Parses one health check; `portCount` is how many ports the app has for `portIndex` to address. */
export function parseHealthCheck(
  json: unknown,
  path: string,
  problems: Problems,
  portCount: number,
): HealthCheck | undefined {
  if (!isObject(json)) {
    problems.add(path, `expected an object, got ${jsonType(json)}`);
    return undefined;
  }
  const commandJson = optObject(json, 'command', path, problems);
  const protocol =
    optEnum(json, 'protocol', path, problems, HEALTH_CHECK_PROTOCOLS) ??
    (commandJson !== undefined ? 'COMMAND' : 'HTTP');
  const port = optNumber(json, 'port', path, problems, { min: 0, max: 65535, integer: true });
  let portIndex = optNumber(json, 'portIndex', path, problems, { min: 0, integer: true });
  if (json.portIndex !== undefined && json.portIndex !== null && portIndex === undefined) portIndex = -1;
  let command: { value: string } | undefined;
  if (protocol === 'COMMAND') {
    const value = commandJson === undefined ? undefined : optString(commandJson, 'value', `${path}/command`, problems);
    if (value === undefined || value.trim() === '') {
      problems.add(childPath(path, 'command'), 'a COMMAND health check needs command.value');
    } else command = { value };
  } else if (commandJson !== undefined) {
    problems.add(childPath(path, 'command'), `a ${protocol} health check takes no command`);
  }
  if (protocol !== 'COMMAND') {
    if (port !== undefined && portIndex !== undefined) {
      problems.add(path, 'give either port or portIndex, not both');
    } else if (port === undefined) {
      const index = portIndex ?? HEALTH_CHECK_DEFAULTS.portIndex;
      if (index < 0 || index >= portCount) {
        problems.add(
          path,
          'Health check port indices must address an element of the ports array or container port mappings.',
        );
      }
      portIndex = index;
    }
  }
  const isHttp = protocol === 'HTTP' || protocol === 'HTTPS' || protocol === 'MESOS_HTTP' || protocol === 'MESOS_HTTPS';
  const pathValue = optString(json, 'path', path, problems);
  const check: HealthCheck = {
    protocol,
    gracePeriodSeconds: readNumber(
      json,
      'gracePeriodSeconds',
      path,
      problems,
      HEALTH_CHECK_DEFAULTS.gracePeriodSeconds,
      SECONDS,
    ),
    intervalSeconds: readNumber(json, 'intervalSeconds', path, problems, HEALTH_CHECK_DEFAULTS.intervalSeconds, {
      min: 1,
      integer: true,
    }),
    timeoutSeconds: readNumber(json, 'timeoutSeconds', path, problems, HEALTH_CHECK_DEFAULTS.timeoutSeconds, {
      min: 1,
      integer: true,
    }),
    maxConsecutiveFailures: readNumber(
      json,
      'maxConsecutiveFailures',
      path,
      problems,
      HEALTH_CHECK_DEFAULTS.maxConsecutiveFailures,
      SECONDS,
    ),
    delaySeconds: readNumber(json, 'delaySeconds', path, problems, HEALTH_CHECK_DEFAULTS.delaySeconds, SECONDS),
    ignoreHttp1xx: readBool(json, 'ignoreHttp1xx', path, problems, false),
    ...(isHttp ? { path: pathValue ?? HEALTH_CHECK_DEFAULTS.path } : {}),
    ...(protocol !== 'COMMAND' && port !== undefined ? { port } : {}),
    ...(protocol !== 'COMMAND' && port === undefined && portIndex !== undefined ? { portIndex } : {}),
    ...(command === undefined ? {} : { command }),
  };
  if (check.timeoutSeconds >= check.intervalSeconds) {
    problems.add(childPath(path, 'timeoutSeconds'), 'must be less than intervalSeconds');
  }
  return check;
}

/** Parses one readiness check; `portNames` are the names the app's ports carry. */
export function parseReadinessCheck(
  json: unknown,
  path: string,
  problems: Problems,
  portNames: readonly string[],
): ReadinessCheck | undefined {
  if (!isObject(json)) {
    problems.add(path, `expected an object, got ${jsonType(json)}`);
    return undefined;
  }
  const d = READINESS_CHECK_DEFAULTS;
  const codes = readArray(json, 'httpStatusCodesForReady', path, problems, (c, cpath) => {
    if (typeof c === 'number' && Number.isInteger(c) && c >= 100 && c <= 599) return c;
    problems.add(cpath, `expected an HTTP status code, got ${JSON.stringify(c)}`);
    return undefined;
  }) ?? [...d.httpStatusCodesForReady];
  const check: ReadinessCheck = {
    name: optString(json, 'name', path, problems) ?? d.name,
    protocol: optEnum(json, 'protocol', path, problems, ['HTTP', 'HTTPS'] as const) ?? d.protocol,
    path: optString(json, 'path', path, problems) ?? d.path,
    portName: optString(json, 'portName', path, problems) ?? d.portName,
    intervalSeconds: readNumber(json, 'intervalSeconds', path, problems, d.intervalSeconds, { min: 1, integer: true }),
    timeoutSeconds: readNumber(json, 'timeoutSeconds', path, problems, d.timeoutSeconds, { min: 1, integer: true }),
    httpStatusCodesForReady: codes,
    preserveLastResponse: readBool(json, 'preserveLastResponse', path, problems, d.preserveLastResponse),
  };
  if (!portNames.includes(check.portName)) {
    problems.add(childPath(path, 'portName'), `No port definition reference for portName ${check.portName}`);
  }
  if (check.timeoutSeconds >= check.intervalSeconds) {
    problems.add(childPath(path, 'timeoutSeconds'), 'must be less than intervalSeconds');
  }
  return check;
}

/** Parses `healthChecks` and `readinessChecks` of the app object. */
export function parseChecks(
  app: Record<string, unknown>,
  problems: Problems,
  ports: readonly { name?: string }[],
): { healthChecks: HealthCheck[]; readinessChecks: ReadinessCheck[] } {
  const healthChecks =
    readArray(app, 'healthChecks', '', problems, (h, path) => parseHealthCheck(h, path, problems, ports.length)) ?? [];
  // Every check runs on the agent (never probes from Marathon), and a task
  // carries one health check, as Mesos' TaskInfo does: more would be ignored
  // silently, so they are refused (Marathon refuses more than one Mesos check).
  if (healthChecks.length > 1) {
    problems.add(
      '/healthChecks',
      `AppDefinition can contain at most one health check (got ${healthChecks.length}): health checks run on the agent, one per task`,
    );
  }
  const names = ports.map((p) => p.name).filter((n): n is string => n !== undefined);
  const readinessChecks =
    readArray(app, 'readinessChecks', '', problems, (r, path) => parseReadinessCheck(r, path, problems, names)) ?? [];
  if (readinessChecks.length > 1) problems.add('/readinessChecks', 'got more than one, expected at most 1');
  return { healthChecks, readinessChecks };
}
