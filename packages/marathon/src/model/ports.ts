// Host ports of HOST-networked apps: `portDefinitions`, the legacy `ports`
// list, and `requirePorts`. With neither given, Marathon asks for one port.

import type { NetworkMode, PortDefinition, PortProtocol } from './app-definition.js';
import { Problems, childPath, isObject, jsonType } from './problems.js';
import { optString, readArray, readNumber, readStringMap } from './readers.js';

const PORT_BOUNDS = { min: 0, max: 65535, integer: true } as const;
const PROTOCOLS: readonly PortProtocol[] = ['tcp', 'udp', 'udp,tcp'];

/** Reads `protocol` of a port (default tcp; `tcp,udp` is accepted for `udp,tcp`). */
export function parseProtocol(json: Record<string, unknown>, path: string, problems: Problems): PortProtocol {
  const raw = optString(json, 'protocol', path, problems);
  if (raw === undefined) return 'tcp';
  const normal = raw.toLowerCase() === 'tcp,udp' ? 'udp,tcp' : raw.toLowerCase();
  if ((PROTOCOLS as readonly string[]).includes(normal)) return normal as PortProtocol;
  problems.add(childPath(path, 'protocol'), `'${raw}' is not one of ${PROTOCOLS.join(', ')}`);
  return 'tcp';
}

function parseDefinition(json: unknown, path: string, problems: Problems): PortDefinition | undefined {
  if (!isObject(json)) {
    problems.add(path, `expected an object, got ${jsonType(json)}`);
    return undefined;
  }
  const name = optString(json, 'name', path, problems);
  return {
    port: readNumber(json, 'port', path, problems, 0, PORT_BOUNDS),
    protocol: parseProtocol(json, path, problems),
    labels: readStringMap(json, 'labels', path, problems),
    ...(name === undefined ? {} : { name }),
  };
}

/** Parses the host ports of `app` given its network mode. */
export function parsePorts(
  app: Record<string, unknown>,
  network: NetworkMode,
  problems: Problems,
): { portDefinitions: PortDefinition[]; requirePorts: boolean } {
  const definitions = readArray(app, 'portDefinitions', '', problems, (d, path) => parseDefinition(d, path, problems));
  const ports = readArray(app, 'ports', '', problems, (p, path) => {
    if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 65535) return p;
    problems.add(path, `expected a port number between 0 and 65535, got ${JSON.stringify(p)}`);
    return undefined;
  });
  const requirePortsRaw = app.requirePorts;
  let requirePorts = false;
  if (typeof requirePortsRaw === 'boolean') requirePorts = requirePortsRaw;
  else if (requirePortsRaw !== undefined && requirePortsRaw !== null) {
    problems.add('/requirePorts', `expected a boolean, got ${jsonType(requirePortsRaw)}`);
  }

  if (definitions !== undefined && ports !== undefined && definitions.length > 0 && ports.length > 0) {
    const same = definitions.length === ports.length && definitions.every((d, i) => d.port === ports[i]);
    if (!same) problems.add('', 'cannot specify both ports and port definitions');
  }
  let result: PortDefinition[];
  if (definitions !== undefined && definitions.length > 0) result = definitions;
  else if (ports !== undefined && ports.length > 0)
    result = ports.map((port) => ({ port, protocol: 'tcp', labels: {} }));
  else if (definitions !== undefined || ports !== undefined) result = [];
  // Marathon's default: a HOST-networked app gets one port, assigned from the offer.
  else result = network === 'HOST' ? [{ port: 0, protocol: 'tcp', labels: {} }] : [];

  if (network !== 'HOST') {
    if (result.length > 0) problems.add('', 'portDefinitions are only allowed with host-networking');
    result = [];
  }
  const fixed = result.map((d) => d.port).filter((p) => p !== 0);
  if (new Set(fixed).size !== fixed.length) problems.add('/portDefinitions', 'Ports must be unique.');
  const names = result.map((d) => d.name).filter((n): n is string => n !== undefined);
  if (new Set(names).size !== names.length) problems.add('/portDefinitions', 'Port names must be unique.');
  return { portDefinitions: result, requirePorts };
}
