// Parsers for flag values. Pure: each takes the text the user typed and
// returns a value or throws an Error whose message says what to type instead.
import { Resources, parseAttributes } from '@mesocosm/protocol';
import { isZkUrl, parseZkUrl } from '@mesocosm/protocol/zk';
import { parseDuration } from './duration.js';

/** A TCP port; 0 means "pick a free one". */
export function parsePort(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`'${text}' is not a port: use a number from 0 to 65535`);
  const port = Number(text);
  if (port > 65535) throw new Error(`${port} is not a port: use a number from 0 to 65535`);
  return port;
}

/** A whole number >= `min`. */
export function parseCount(text: string, min = 0): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`'${text}' is not a whole number`);
  const n = Number(text);
  if (n < min) throw new Error(`${n} is too small: use at least ${min}`);
  return n;
}

/** A ZooKeeper URL for `mesocosm master --zk` (zk://host:port,.../path). */
export function parseZkFlag(text: string): string {
  const t = text.trim();
  try {
    parseZkUrl(t);
  } catch (err) {
    throw new Error(err instanceof Error ? err.message : String(err), { cause: err });
  }
  return t;
}

/** `host:port`, e.g. the master's gRPC address given to an agent. */
/** `--master`: the master's gRPC address (host:port) or a ZooKeeper URL (zk://host:port,.../path). */
export function parseMasterAddress(text: string): string {
  const t = text.trim();
  if (isZkUrl(t)) {
    try {
      parseZkUrl(t);
    } catch (err) {
      throw new Error(err instanceof Error ? err.message : String(err), { cause: err });
    }
    return t;
  }
  return parseHostPort(t);
}

export function parseHostPort(text: string): string {
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d+)$/.exec(text.trim());
  if (!m || parsePort(m[2] ?? '') === 0) {
    throw new Error(`'${text}' is not host:port: give the master's gRPC address, e.g. 127.0.0.1:5060`);
  }
  return text.trim();
}

/** An IPv4 or IPv6 address to bind or advertise. */
export function parseIp(text: string): string {
  const t = text.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
  if (v4 && v4.slice(1).every((o) => Number(o) <= 255)) return t;
  if (/^[0-9a-fA-F:]+$/.test(t) && t.includes(':')) return t;
  throw new Error(`'${text}' is not an IP address, e.g. 127.0.0.1 or 0.0.0.0`);
}

/** Role weights, `role=2,other=0.5` (Mesos' `--weights`). */
export function parseWeights(text: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const part of text.split(',').map((s) => s.trim())) {
    if (part === '') continue;
    const m = /^([^=\s]+)=(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || Number(m[2]) <= 0) {
      throw new Error(`'${part}' is not role=weight with a positive weight, e.g. --weights prod=2,dev=1`);
    }
    weights[m[1] ?? ''] = Number(m[2]);
  }
  if (Object.keys(weights).length === 0) throw new Error(`'${text}' names no role: e.g. --weights prod=2,dev=1`);
  return weights;
}

/** Mesos-style booleans: true/false, 1/0, yes/no. */
export function parseBoolean(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(t)) return true;
  if (['false', '0', 'no'].includes(t)) return false;
  throw new Error(`'${text}' is not a boolean: use true or false`);
}

/** The agent's isolation mode. */
export type Isolation = 'auto' | 'cgroups' | 'posix';

/** `auto`, `cgroups` or `posix` (Mesos' `posix/cpu,posix/mem` and `cgroups/cpu,cgroups/mem` are accepted too). */
export function parseIsolation(text: string): Isolation {
  const t = text.trim();
  if (t === 'auto' || t === 'cgroups' || t === 'posix') return t;
  const kinds = new Set(t.split(',').map((s) => s.trim().split('/')[0]));
  if (kinds.size === 1 && (kinds.has('cgroups') || kinds.has('posix'))) return [...kinds][0] as Isolation;
  throw new Error(`'${text}' is not an isolation mode: use auto, cgroups or posix`);
}

/** Agent resources, `cpus:4;mem:8192;ports:[31000-32000]`; validated, returned as typed. */
export function parseResourcesFlag(text: string): string {
  try {
    Resources.parse(text);
  } catch (err) {
    throw new Error(`${(err as Error).message}; e.g. --resources 'cpus:4;mem:8192;ports:[31000-32000]'`);
  }
  return text;
}

/** Agent attributes, `rack:r1;zone:a`; validated, returned as typed. */
export function parseAttributesFlag(text: string): string {
  try {
    parseAttributes(text);
  } catch (err) {
    throw new Error(`${(err as Error).message}; e.g. --attributes 'rack:r1;zone:a'`);
  }
  return text;
}

/** `--recover`: what an agent does with the tasks a previous run left, as Mesos' flag. */
export function parseRecover(text: string): 'reconnect' | 'cleanup' {
  if (text === 'reconnect' || text === 'cleanup') return text;
  throw new Error(`'${text}' is not a recovery mode: use reconnect or cleanup`);
}

/**
 * A duration for a flag Marathon or Chronos take as a bare number: Mesos'
 * syntax (`1weeks`, `120secs`), or a bare number in the original's unit
 * (`unitMs` ms each, named `unitName`), so their command lines carry over.
 * Returns milliseconds.
 */
export function parseDurationOr(unitMs: number, unitName: string): (text: string) => number {
  return (text) => {
    const t = text.trim();
    if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t) * unitMs;
    try {
      return parseDuration(t);
    } catch (err) {
      throw new Error(`${(err as Error).message}, or a bare number of ${unitName}`, { cause: err });
    }
  };
}

/** Chronos' `--zk_hosts`: `h1:2181,h2:2181` (no scheme, no path). */
export function parseZkHosts(text: string): string {
  const t = text.trim();
  const hosts = t.split(',').map((h) => h.trim());
  if (t === '' || hosts.some((h) => !/^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(:\d+)?$/.test(h))) {
    throw new Error(
      `'${text}' is not a list of ZooKeeper servers, e.g. zk1:2181,zk2:2181 (or use --zk zk://zk1:2181/chronos)`,
    );
  }
  return hosts.join(',');
}

/** A positive number (cpus, MB). */
export function parsePositive(text: string): number {
  const t = text.trim();
  if (!/^(\d+(?:\.\d+)?|\.\d+)$/.test(t) || Number(t) <= 0) throw new Error(`'${text}' is not a positive number`);
  return Number(t);
}
