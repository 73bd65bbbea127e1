// The Mesos layout of leader election in ZooKeeper (pure): contenders are
// ephemeral sequential znodes `<path>/json.info_NNNNNNNNNN` whose data is the
// MasterInfo as JSON, in Mesos' field names so that tools written for Mesos
// (mesos-dns, mesos-resolve, ...) find the leader; the lowest sequence leads.
import { ValidationError } from '../errors.js';
import type { IMasterInfo } from '../messages.js';
import { sequenceOf } from './paths.js';

/** The name prefix of election znodes (Mesos' `json.info_`). */
export const MASTER_INFO_PREFIX = 'json.info_';

/**
 * The JSON a contender publishes: Mesos' MasterInfo fields, plus
 * `grpc_port` (where Mesocosm's APIs are) and `epoch` (the election sequence).
 */
export interface MasterInfoJson {
  address: { hostname: string; ip: string; port: number };
  hostname: string;
  id: string;
  /** The IPv4 address as Mesos encodes it: the four bytes in network order read as a little-endian uint32; 0 when not IPv4. */
  ip: number;
  /** Mesos' libprocess PID (`master@ip:port`), kept for older tools. */
  pid: string;
  /** The HTTP port (operator API, web UI), as Mesos' `port`. */
  port: number;
  version: string;
  grpc_port: number;
  epoch?: number;
}

/** Mesos' uint32 encoding of a dotted IPv4 address (0 for anything else). */
export function mesosIpNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return (a + b * 2 ** 8 + c * 2 ** 16 + d * 2 ** 24) >>> 0;
}

/** The dotted IPv4 address of Mesos' uint32 encoding. */
export function mesosIpString(n: number): string {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

/** The election znode data for `info` (UTF-8 JSON). */
export function encodeMasterInfoJson(info: IMasterInfo): string {
  const ip = info.ip ?? '';
  const hostname = info.hostname || ip;
  const port = info.port ?? 0;
  const json: MasterInfoJson = {
    address: { hostname, ip, port },
    hostname,
    id: info.id ?? '',
    ip: mesosIpNumber(ip),
    pid: `master@${ip.includes(':') ? `[${ip}]` : ip}:${port}`,
    port,
    version: info.version ?? '',
    grpc_port: info.grpcPort ?? 0,
    ...(info.epoch !== undefined && info.epoch !== null ? { epoch: Number(info.epoch) } : {}),
  };
  return JSON.stringify(json);
}

function fail(why: string): never {
  throw new ValidationError('masterInfo', `the leader's election znode is not a Mesocosm MasterInfo: ${why}`);
}

/**
 * Reads election znode data back into a MasterInfo. Throws a
 * `ValidationError` when it is not JSON, or names no gRPC port (e.g. the
 * leader is a Mesos master, not a Mesocosm one).
 */
export function decodeMasterInfoJson(data: Buffer | string): IMasterInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString());
  } catch {
    fail('it is not JSON');
  }
  if (typeof raw !== 'object' || raw === null) fail('it is not a JSON object');
  const j = raw as Partial<MasterInfoJson>;
  const ip =
    typeof j.address?.ip === 'string' && j.address.ip !== ''
      ? j.address.ip
      : typeof j.ip === 'number'
        ? mesosIpString(j.ip)
        : '';
  if (ip === '') fail('it has no address.ip');
  if (typeof j.grpc_port !== 'number' || j.grpc_port <= 0) {
    fail('it has no grpc_port (is the leader a Mesos master rather than a Mesocosm one?)');
  }
  return {
    id: String(j.id ?? ''),
    hostname: String(j.hostname ?? j.address?.hostname ?? ''),
    ip,
    port: Number(j.port ?? j.address?.port ?? 0),
    grpcPort: j.grpc_port,
    version: String(j.version ?? ''),
    epoch: typeof j.epoch === 'number' ? j.epoch : 0,
  };
}

/** The gRPC address (`host:port`) of a decoded MasterInfo. */
export function grpcAddressOf(info: IMasterInfo): string {
  const ip = info.ip ?? '';
  return `${ip.includes(':') ? `[${ip}]` : ip}:${info.grpcPort ?? 0}`;
}

/**
 * The leader among an election path's children: the `json.info_` child with
 * the lowest sequence, or undefined when there is none. Other children are
 * ignored, including Mesos' pre-1.0 `info_` znodes (protobuf data a Mesocosm
 * client cannot read; Mesos itself ignores them since it switched to JSON).
 */
export function leaderOf(children: readonly string[]): string | undefined {
  let best: { name: string; seq: number } | undefined;
  for (const name of children) {
    const seq = sequenceOf(name, MASTER_INFO_PREFIX);
    if (seq !== undefined && (!best || seq < best.seq)) best = { name, seq };
  }
  return best?.name;
}

/** The `json.info_` children sorted by sequence (the election queue). */
export function electionQueue(children: readonly string[]): Array<{ name: string; sequence: number }> {
  return children
    .map((name) => ({ name, sequence: sequenceOf(name, MASTER_INFO_PREFIX) }))
    .filter((c): c is { name: string; sequence: number } => c.sequence !== undefined)
    .sort((a, b) => a.sequence - b.sequence);
}
