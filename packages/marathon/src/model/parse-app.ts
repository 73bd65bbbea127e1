// parseApp: Marathon app JSON, as users write it, into a normalised
// AppDefinition; every problem is collected into one AppValidationError.

import { AppValidationError } from '../errors.js';
import type { AppDefinition, VersionInfo } from './app-definition.js';
import { APP_DEFAULTS } from './app-definition.js';
import { parseConstraint } from './constraint.js';
import { parseContainer } from './container.js';
import { parseFetch } from './fetch.js';
import { parseChecks } from './health-check.js';
import { parentOf, resolveId } from './path-id.js';
import { parsePorts } from './ports.js';
import { Problems, isObject, jsonType } from './problems.js';
import { optString, readArray, readNumber, readStringArray, readStringMap } from './readers.js';
import { parseStrategies } from './strategies.js';

/** Options of {@link parseApp}. */
export interface ParseAppOptions {
  /** The group relative ids are resolved against (default `/`). */
  readonly baseGroup?: string;
  /** The id to use when the body has none (the id of `PUT /v2/apps/{id}`). */
  readonly id?: string;
  /** Keep `version` and `versionInfo` from the body: for definitions read back from storage. */
  readonly keepVersion?: boolean;
}

/** Top-level fields this model understands (everything else is kept in `extra`). */
export const MODELLED_FIELDS = new Set([
  'id', 'instances', 'cpus', 'mem', 'disk', 'gpus', 'cmd', 'args', 'user', 'container', 'networks', 'env',
  'labels', 'uris', 'fetch', 'portDefinitions', 'ports', 'requirePorts', 'constraints', 'acceptedResourceRoles',
  'healthChecks', 'readinessChecks', 'upgradeStrategy', 'backoffSeconds', 'backoffFactor', 'maxLaunchDelaySeconds',
  'killSelection', 'unreachableStrategy', 'taskKillGracePeriodSeconds', 'dependencies', 'version', 'versionInfo',
]); // prettier-ignore

/** Fields Marathon's GET adds (task counts, deployments...): dropped when a GET body is sent back. */
export const READ_ONLY_FIELDS = new Set([
  'tasks', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'lastTaskFailure',
  'readinessCheckResults', 'taskStats', 'counts',
]); // prettier-ignore

function parseVersionInfo(json: Record<string, unknown>): { version?: string; versionInfo?: VersionInfo } {
  const out: { version?: string; versionInfo?: VersionInfo } = {};
  if (typeof json.version === 'string') out.version = json.version;
  const info = json.versionInfo;
  if (isObject(info) && typeof info.lastScalingAt === 'string' && typeof info.lastConfigChangeAt === 'string') {
    out.versionInfo = { lastScalingAt: info.lastScalingAt, lastConfigChangeAt: info.lastConfigChangeAt };
  }
  return out;
}

/**
 * Checks app JSON and returns the normalised app, or `undefined` with the
 * problems recorded in `problems` (paths relative to the app object).
 */
export function checkApp(json: unknown, problems: Problems, opts: ParseAppOptions = {}): AppDefinition | undefined {
  if (!isObject(json)) {
    problems.add('', `expected an app object, got ${jsonType(json)}`);
    return undefined;
  }
  const start = problems.count;
  const base = opts.baseGroup ?? '/';
  const rawId = optString(json, 'id', '', problems) ?? opts.id;
  let id = '/';
  if (rawId === undefined) problems.add('/id', 'is required');
  else {
    const resolved = resolveId(rawId, base);
    if (!resolved.ok) problems.add('/id', resolved.message);
    else if (resolved.id === '/') problems.add('/id', 'must not be root');
    else id = resolved.id;
  }

  const cmd = optString(json, 'cmd', '', problems);
  const args = readStringArray(json, 'args', '', problems);
  const { container, network, networkName } = parseContainer(json, problems);
  const hasCmd = cmd !== undefined;
  const hasArgs = args !== undefined && args.length > 0;
  if ((hasCmd && hasArgs) || (!hasCmd && !hasArgs && container === undefined)) {
    problems.add('', "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
  }
  if (cmd !== undefined && cmd.trim() === '') problems.add('/cmd', 'must not be an empty string');

  const { portDefinitions, requirePorts } = parsePorts(json, network, problems);
  const ports = container !== undefined && container.portMappings.length > 0 ? container.portMappings : portDefinitions;
  const { healthChecks, readinessChecks } = parseChecks(json, problems, ports);
  const constraints =
    readArray(json, 'constraints', '', problems, (c, path) => parseConstraint(c, path, problems)) ?? [];
  const roles = readStringArray(json, 'acceptedResourceRoles', '', problems);
  if (roles !== undefined && roles.length === 0) problems.add('/acceptedResourceRoles', 'must not be empty');
  const parent = id === '/' ? base : parentOf(id);
  const dependencies =
    readArray(json, 'dependencies', '', problems, (d, path) => {
      if (typeof d !== 'string') {
        problems.add(path, `expected a string, got ${jsonType(d)}`);
        return undefined;
      }
      const resolved = resolveId(d, parent);
      if (!resolved.ok) problems.add(path, resolved.message);
      else if (resolved.id === id) problems.add(path, 'an app cannot depend on itself');
      return resolved.ok ? resolved.id : undefined;
    }) ?? [];
  const user = optString(json, 'user', '', problems);

  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!MODELLED_FIELDS.has(key) && !READ_ONLY_FIELDS.has(key)) extra[key] = value;
  }
  const app: AppDefinition = {
    id,
    instances: readNumber(json, 'instances', '', problems, APP_DEFAULTS.instances, { min: 0, integer: true }),
    cpus: readNumber(json, 'cpus', '', problems, APP_DEFAULTS.cpus, { min: 0 }),
    mem: readNumber(json, 'mem', '', problems, APP_DEFAULTS.mem, { min: 0 }),
    disk: readNumber(json, 'disk', '', problems, APP_DEFAULTS.disk, { min: 0 }),
    gpus: readNumber(json, 'gpus', '', problems, APP_DEFAULTS.gpus, { min: 0, integer: true }),
    network,
    env: readStringMap(json, 'env', '', problems),
    labels: readStringMap(json, 'labels', '', problems),
    fetch: parseFetch(json, problems),
    portDefinitions,
    requirePorts,
    constraints,
    healthChecks,
    readinessChecks,
    ...parseStrategies(json, problems),
    dependencies: [...new Set(dependencies)],
    extra,
    ...(cmd === undefined ? {} : { cmd }),
    ...(args === undefined || !hasArgs ? {} : { args }),
    ...(user === undefined ? {} : { user }),
    ...(container === undefined ? {} : { container }),
    ...(networkName === undefined ? {} : { networkName }),
    ...(roles === undefined ? {} : { acceptedResourceRoles: roles }),
    ...(opts.keepVersion === true ? parseVersionInfo(json) : {}),
  };
  return problems.count > start ? undefined : app;
}

/**
 * Parses Marathon app JSON into a normalised {@link AppDefinition}, defaults
 * filled. Throws {@link AppValidationError} (Marathon's 422 body) naming every
 * invalid field.
 */
export function parseApp(json: unknown, opts: ParseAppOptions = {}): AppDefinition {
  const problems = new Problems();
  const app = checkApp(json, problems, opts);
  if (app === undefined || !problems.empty) throw new AppValidationError(problems.details());
  return app;
}
