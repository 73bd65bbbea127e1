// Who an instance is, as published in its election znode, and the names of
// those znodes (pure).

/** An instance of a framework (a Marathon or Chronos server), as other instances see it. */
export interface LeaderInfo {
  /** A unique ID of this instance (e.g. a UUID chosen at start). */
  readonly id: string;
  readonly hostname: string;
  /** The port of its HTTP API. */
  readonly port: number;
  /** Where its HTTP API is, e.g. `http://m1.example:8080`: standbys redirect or proxy there. */
  readonly url: string;
}

/** The name prefix of election znodes: `member_<candidacy>_NNNNNNNNNN`. */
export const MEMBER_PREFIX = 'member_';

/** The JSON data of an election znode. */
export function encodeLeaderInfo(info: LeaderInfo): string {
  return JSON.stringify({ id: info.id, hostname: info.hostname, port: info.port, url: info.url });
}

/** Reads an election znode's data; undefined when it is not a LeaderInfo. */
export function decodeLeaderInfo(data: Buffer | string): LeaderInfo | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString());
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const j = raw as Record<string, unknown>;
  if (typeof j['id'] !== 'string' || typeof j['url'] !== 'string') return undefined;
  return {
    id: j['id'],
    hostname: typeof j['hostname'] === 'string' ? j['hostname'] : '',
    port: typeof j['port'] === 'number' ? j['port'] : 0,
    url: j['url'],
  };
}

/** One election znode. */
export interface Member {
  /** The znode's name. */
  readonly name: string;
  /** The candidacy nonce in the name: whose znode it is. */
  readonly candidacy: string;
  /** ZooKeeper's sequence: the lowest leads. */
  readonly sequence: number;
}

const MEMBER = /^member_([A-Za-z0-9-]+)_(\d{10})$/;

/**
 * The election queue: the `member_` children sorted by sequence. The
 * candidacy nonce in each name lets an instance recognise a znode it created
 * even when the reply to its create was lost (ZooKeeper's "protected" create).
 */
export function memberQueue(children: readonly string[]): Member[] {
  const members: Member[] = [];
  for (const name of children) {
    const m = MEMBER.exec(name);
    if (m?.[1] !== undefined && m[2] !== undefined) members.push({ name, candidacy: m[1], sequence: Number(m[2]) });
  }
  return members.sort((a, b) => a.sequence - b.sequence);
}
