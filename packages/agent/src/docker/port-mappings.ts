// A task's port mappings as Docker port bindings; host ports must come from
// the task's `ports` resources. Pure.
import { v1, type mesocosm, type Range } from '@mesocosm/protocol';

type IPortMapping = mesocosm.v1.ContainerInfo.DockerInfo.IPortMapping;

/** The protocols of a mapping: `tcp` by default, `udp`, or both (`tcp,udp`). */
function protocols(m: IPortMapping): string[] {
  const p = (m.protocol ?? '').trim().toLowerCase();
  return p === '' ? ['tcp'] : p.split(',').map((s) => s.trim());
}

function inRanges(port: number, ranges: readonly Range[]): boolean {
  return ranges.some(([b, e]) => port >= b && port <= e);
}

function describeRanges(ranges: readonly Range[]): string {
  return ranges.length === 0 ? 'none' : ranges.map(([b, e]) => (b === e ? `${b}` : `${b}-${e}`)).join(',');
}

/** Why the mappings cannot be published, or undefined when they can. `ranges` are the task's ports. */
export function portMappingsProblem(
  mappings: readonly IPortMapping[],
  network: mesocosm.v1.ContainerInfo.DockerInfo.Network,
  ranges: readonly Range[],
): string | undefined {
  if (mappings.length === 0) return undefined;
  if (network !== v1.ContainerInfo.DockerInfo.Network.BRIDGE)
    return 'port mappings need BRIDGE networking (with HOST networking the task binds its ports directly)';
  const seen = new Set<string>();
  for (const m of mappings) {
    const host = m.hostPort ?? 0;
    const container = m.containerPort ?? 0;
    if (container < 1 || container > 65535) return `container port ${container} is not a port (1-65535)`;
    if (host < 1 || host > 65535) return `host port ${host} is not a port (1-65535)`;
    if (!inRanges(host, ranges))
      return `host port ${host} is not in the task's ports resources (${describeRanges(ranges)}): take host ports from the offer's ports`;
    for (const p of protocols(m)) {
      if (p !== 'tcp' && p !== 'udp')
        return `protocol '${m.protocol ?? ''}' of host port ${host} is not tcp, udp or tcp,udp`;
      const key = `${host}/${p}`;
      if (seen.has(key)) return `host port ${key} is mapped twice`;
      seen.add(key);
    }
  }
  return undefined;
}

/** Docker's ExposedPorts and PortBindings for valid mappings (published on every host address). */
export function dockerPorts(mappings: readonly IPortMapping[]): {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, { HostPort: string }[]>;
} {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostPort: string }[]> = {};
  for (const m of mappings) {
    for (const p of protocols(m)) {
      const key = `${m.containerPort ?? 0}/${p}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostPort: String(m.hostPort ?? 0) });
    }
  }
  return { exposed, bindings };
}
