// The agent's resource totals: what the host has, overridden by `--resources`.
// Pure: the host facts come in as numbers (see probe-host.ts for the I/O).
import { Resources, ResourceParseError, ValidationError, type IResource } from '@mesocosm/protocol';
import { AgentOptionError } from '../errors.js';

/** What the host offers, measured by {@link probeHost}. */
export interface HostFacts {
  readonly cpus: number;
  /** Total physical memory, MB. */
  readonly memTotalMb: number;
  /** Free space of the work dir's file system, MB. */
  readonly diskFreeMb: number;
}

const GB = 1024;
/** Memory kept for the OS and the agent: half, at most 1 GB (Mesos' rule). */
export function memReserveMb(totalMb: number): number {
  return Math.min(GB, totalMb / 2);
}
/** Disk kept free: half, at most 5 GB (Mesos' rule). */
export function diskReserveMb(freeMb: number): number {
  return Math.min(5 * GB, freeMb / 2);
}

/** The default port range, as Mesos. */
export const DEFAULT_PORTS: readonly [number, number] = [31000, 32000];

/** Resources derived from the host alone. */
export function hostResources(facts: HostFacts): Resources {
  const mem = Math.max(0, Math.floor(facts.memTotalMb - memReserveMb(facts.memTotalMb)));
  const disk = Math.max(0, Math.floor(facts.diskFreeMb - diskReserveMb(facts.diskFreeMb)));
  return Resources.scalar('cpus', facts.cpus)
    .add(Resources.scalar('mem', mem))
    .add(Resources.scalar('disk', disk))
    .add(Resources.ranges('ports', [DEFAULT_PORTS]));
}

const SCALAR_NAMES = new Set(['cpus', 'mem', 'disk', 'gpus']);
const RANGE_NAMES = new Set(['ports']);
const EXAMPLE = "e.g. 'cpus:4;mem:8192;ports:[31000-32000]'";

/** Parses `--resources`, checking the well-known names have the right kind. */
export function parseResourcesFlag(text: string): Resources {
  let parsed: Resources;
  try {
    parsed = Resources.parse(text);
  } catch (err) {
    const why = err instanceof ResourceParseError || err instanceof ValidationError ? err.message : String(err);
    throw new AgentOptionError('--resources', `'${text}' is not valid: ${why} (${EXAMPLE})`);
  }
  for (const r of parsed.toProto()) checkKind(text, r);
  return parsed;
}

function checkKind(text: string, r: IResource): void {
  const name = r.name ?? '';
  if (SCALAR_NAMES.has(name) && r.scalar == null)
    throw new AgentOptionError('--resources', `'${text}': '${name}' must be a number, e.g. '${name}:2'`);
  if (RANGE_NAMES.has(name) && r.ranges == null)
    throw new AgentOptionError('--resources', `'${text}': '${name}' must be ranges, e.g. '${name}:[31000-32000]'`);
}

/**
 * The totals an agent advertises: the host's, with every resource named in
 * `flag` replaced by the flag's value (names the flag does not give keep the host's).
 */
export function agentResources(facts: HostFacts, flag?: string): Resources {
  const host = hostResources(facts);
  if (flag === undefined || flag.trim() === '') return host;
  const given = parseResourcesFlag(flag);
  const names = new Set(given.toProto().map((r) => r.name));
  const kept = host.toProto().filter((r) => !names.has(r.name));
  return Resources.fromProto(kept).add(given);
}
