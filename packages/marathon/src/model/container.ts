// The container part of an app and its networking. Both Marathon shapes are
// accepted: 1.4's `container.docker.network` + `container.docker.portMappings`
// and 1.5's top-level `networks` + `container.portMappings`; the result is
// one network mode and one list of port mappings.

import type { ContainerSpec, DockerSpec, NetworkMode, PortMapping, Volume } from './app-definition.js';
import { Problems, childPath, indexPath, isObject, jsonType } from './problems.js';
import { optEnum, optNumber, optObject, optString, readArray, readBool, readNumber, readStringMap } from './readers.js';
import { parseProtocol } from './ports.js';

/** The container and networking of an app. */
export interface ParsedContainer {
  readonly container?: ContainerSpec;
  readonly network: NetworkMode;
  readonly networkName?: string;
}

const PORT_BOUNDS = { min: 0, max: 65535, integer: true } as const;
const PORT_NAME = /^[a-z0-9-]+$/;

function parseNetworks(app: Record<string, unknown>, problems: Problems): { mode?: NetworkMode; name?: string } {
  const list = readArray(app, 'networks', '', problems, (n, path) => {
    if (!isObject(n)) {
      problems.add(path, `expected an object, got ${jsonType(n)}`);
      return undefined;
    }
    const mode = optEnum(n, 'mode', path, problems, ['host', 'container/bridge', 'container'] as const) ?? 'container';
    const name = optString(n, 'name', path, problems);
    const out: { mode: NetworkMode; name?: string } = {
      mode: mode === 'host' ? 'HOST' : mode === 'container/bridge' ? 'BRIDGE' : 'USER',
    };
    if (name !== undefined) out.name = name;
    return out;
  });
  if (list === undefined || list.length === 0) return {};
  if (list.length > 1) problems.add('/networks', 'only one network per app is supported');
  return list[0] ?? {};
}

function parsePortMapping(
  json: unknown,
  path: string,
  problems: Problems,
  network: NetworkMode,
): PortMapping | undefined {
  if (!isObject(json)) {
    problems.add(path, `expected an object, got ${jsonType(json)}`);
    return undefined;
  }
  const hostPort = optNumber(json, 'hostPort', path, problems, PORT_BOUNDS);
  const name = optString(json, 'name', path, problems);
  if (name !== undefined && !PORT_NAME.test(name)) {
    problems.add(childPath(path, 'name'), "must fully match regular expression '^[a-z0-9-]+$'");
  }
  const mapping: PortMapping = {
    containerPort: readNumber(json, 'containerPort', path, problems, 0, PORT_BOUNDS),
    servicePort: readNumber(json, 'servicePort', path, problems, 0, PORT_BOUNDS),
    protocol: parseProtocol(json, path, problems),
    labels: readStringMap(json, 'labels', path, problems),
    ...(name === undefined ? {} : { name }),
    // Bridge networking always maps to some host port; user networking only when asked.
    ...(hostPort !== undefined ? { hostPort } : network === 'BRIDGE' ? { hostPort: 0 } : {}),
  };
  return mapping;
}

function parseVolume(json: unknown, path: string, problems: Problems): Volume | undefined {
  if (!isObject(json)) {
    problems.add(path, `expected an object, got ${jsonType(json)}`);
    return undefined;
  }
  const containerPath = optString(json, 'containerPath', path, problems);
  if (containerPath === undefined || containerPath === '') {
    problems.add(childPath(path, 'containerPath'), 'must not be empty');
  }
  const hostPath = optString(json, 'hostPath', path, problems);
  const mode = optEnum(json, 'mode', path, problems, ['RO', 'RW'] as const) ?? 'RW';
  const persistentJson = optObject(json, 'persistent', path, problems);
  let persistent: { size: number } | undefined;
  if (persistentJson !== undefined) {
    const size = optNumber(persistentJson, 'size', childPath(path, 'persistent'), problems, { min: 1 });
    if (size === undefined) problems.add(childPath(childPath(path, 'persistent'), 'size'), 'must be given, in MB');
    else persistent = { size };
  }
  if (hostPath === undefined && persistentJson === undefined) {
    problems.add(path, 'a volume needs a hostPath (host volume) or persistent.size (local persistent volume)');
  }
  if (hostPath !== undefined && persistentJson !== undefined) {
    problems.add(path, 'a volume is either a host volume (hostPath) or a persistent volume, not both');
  }
  return {
    containerPath: containerPath ?? '',
    mode,
    ...(hostPath === undefined ? {} : { hostPath }),
    ...(persistent === undefined ? {} : { persistent }),
  };
}

function parseDocker(json: Record<string, unknown>, path: string, problems: Problems): DockerSpec {
  const image = optString(json, 'image', path, problems) ?? '';
  const parameters =
    readArray(json, 'parameters', path, problems, (p, ppath) => {
      if (!isObject(p) || typeof p.key !== 'string' || typeof p.value !== 'string') {
        problems.add(ppath, 'expected {"key": string, "value": string}');
        return undefined;
      }
      return { key: p.key, value: p.value };
    }) ?? [];
  return {
    image,
    forcePullImage: readBool(json, 'forcePullImage', path, problems, false),
    privileged: readBool(json, 'privileged', path, problems, false),
    parameters,
  };
}

/** Parses `container` and `networks` of the app object `app`. */
export function parseContainer(app: Record<string, unknown>, problems: Problems): ParsedContainer {
  const fromNetworks = parseNetworks(app, problems);
  const json = optObject(app, 'container', '', problems);
  const dockerJson = json === undefined ? undefined : optObject(json, 'docker', '/container', problems);
  const legacy =
    dockerJson === undefined
      ? undefined
      : optEnum(dockerJson, 'network', '/container/docker', problems, ['HOST', 'BRIDGE', 'USER', 'NONE'] as const);
  if (legacy !== undefined && fromNetworks.mode !== undefined) {
    problems.add('', 'must not specify both container.docker.network and networks');
  }
  // NONE has no port of its own: treat it as a user network without mappings.
  const network: NetworkMode = fromNetworks.mode ?? (legacy === 'NONE' ? 'USER' : legacy) ?? 'HOST';
  const networkName = fromNetworks.name;
  if (json === undefined) return { network, ...(networkName === undefined ? {} : { networkName }) };

  const type = optEnum(json, 'type', '/container', problems, ['DOCKER', 'MESOS'] as const) ?? 'DOCKER';
  const docker = dockerJson === undefined ? undefined : parseDocker(dockerJson, '/container/docker', problems);
  if (type === 'DOCKER' && docker === undefined) {
    problems.add('/container/docker', 'is required for a DOCKER container (give at least docker.image)');
  }
  if (docker !== undefined && docker.image.trim() === '') {
    problems.add('/container/docker/image', 'must not be empty');
  }
  const mappingsAt = (obj: Record<string, unknown> | undefined, base: string): PortMapping[] | undefined =>
    obj === undefined
      ? undefined
      : readArray(obj, 'portMappings', base, problems, (m, path) => parsePortMapping(m, path, problems, network));
  const modern = mappingsAt(json, '/container');
  const old = mappingsAt(dockerJson, '/container/docker');
  if (modern !== undefined && modern.length > 0 && old !== undefined && old.length > 0) {
    problems.add('/container', 'give portMappings either in container or in container.docker, not both');
  }
  const portMappings = modern !== undefined && modern.length > 0 ? modern : (old ?? modern ?? []);
  if (network === 'HOST' && portMappings.length > 0) {
    problems.add('', 'portMappings are not allowed with host-networking');
  }
  checkUniqueNames(portMappings, '/container/portMappings', problems);
  const volumes = readArray(json, 'volumes', '/container', problems, (v, path) => parseVolume(v, path, problems)) ?? [];
  const container: ContainerSpec = {
    type,
    portMappings,
    volumes,
    ...(docker === undefined ? {} : { docker }),
  };
  return { container, network, ...(networkName === undefined ? {} : { networkName }) };
}

/** Records a problem when two ports share a name. */
export function checkUniqueNames(ports: readonly { name?: string }[], path: string, problems: Problems): void {
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    if (p.name === undefined) return;
    if (seen.has(p.name)) problems.add(indexPath(path, i), 'Port names must be unique.');
    seen.add(p.name);
  });
}
